"""The site as a reader of the case study meets it: the answer on the first screen, in the case
study's own code beside the site's formulas, the learners' questions next, and screenshots of the
home page and a derivation page on a phone and a desktop, light and dark, for people to look at."""

import pytest

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
SCHEME_ATTRIBUTE = {"light": "default", "dark": "slate"}

POSITIONS_JS = """
() => {
  const article = document.querySelector("article");
  const bottomOf = (node) => node.getBoundingClientRect().bottom + scrollY;
  const topOf = (node) => node.getBoundingClientRect().top + scrollY;
  const row = (code) => [...article.querySelectorAll("li")]
    .find((item) => item.textContent.includes(code));
  const heading = (text) => [...article.querySelectorAll("h2")]
    .find((h) => h.textContent.startsWith(text));
  const weights = row("dW = np.dot(X.T, dscores)");
  const biases = row("db = np.sum(dscores, axis=0, keepdims=True)");
  const sentence = [...article.querySelectorAll("p")]
    .find((p) => p.textContent.startsWith("One matrix, four names"));
  return {
    weights: weights && { top: topOf(weights), bottom: bottomOf(weights),
                          math: weights.querySelectorAll("mjx-container").length },
    biases: biases && { top: topOf(biases), bottom: bottomOf(biases),
                        text: biases.textContent },
    sentence: sentence && { bottom: bottomOf(sentence), text: sentence.textContent },
    questions: heading("Questions learners ask") && topOf(heading("Questions learners ask")),
    contributors: heading("Running the checks yourself")
      && topOf(heading("Running the checks yourself")),
  };
}
"""


def positions(open_page, viewport):
    page, watch = open_page("/", viewport=viewport)
    found = page.evaluate(POSITIONS_JS)
    assert not watch.problems()
    return found


def test_the_answer_is_on_the_first_desktop_screen(open_page):
    found = positions(open_page, DESKTOP)
    print(f"1280x800: dW row {found['weights']}, db row {found['biases']}")

    assert found["weights"] and found["biases"], "the answer, with the case study's code"
    assert found["weights"]["math"] >= 1, "the site's formula beside the case study's line"
    assert "(1, K)" in found["biases"]["text"] and "K-vector" in found["biases"]["text"]
    assert found["biases"]["bottom"] <= DESKTOP["height"]
    assert found["sentence"] and found["sentence"]["bottom"] <= DESKTOP["height"] * 1.25
    for name in ("dscores", "dF", "G"):
        assert name in found["sentence"]["text"]


def test_the_answer_starts_on_the_first_phone_screen(open_page):
    found = positions(open_page, PHONE)
    print(f"390x844: dW row {found['weights']}, db row {found['biases']}")

    assert found["weights"]["top"] < PHONE["height"]
    assert found["biases"]["bottom"] <= PHONE["height"] * 1.5


def test_learner_questions_come_before_the_contributors_section(open_page):
    found = positions(open_page, DESKTOP)
    print(f"questions at y = {found['questions']}, contributors at y = {found['contributors']}")

    assert found["questions"] < found["contributors"]
    assert found["questions"] < 3 * DESKTOP["height"]


@pytest.mark.parametrize("scheme", SCHEME_ATTRIBUTE)
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["390", "1280"])
@pytest.mark.parametrize("path, name", [("/", "home"), ("/affine/", "affine")])
def test_screenshots_for_readers(open_page, artifacts_dir, path, name, viewport, scheme):
    page, _ = open_page(path, viewport=viewport, color_scheme=scheme)
    page.wait_for_function(
        f"() => document.body.dataset.mdColorScheme === '{SCHEME_ATTRIBUTE[scheme]}'")
    folder = artifacts_dir / "screenshots"
    folder.mkdir(exist_ok=True)
    first = folder / f"{name}-{viewport['width']}-{scheme}-first-screen.png"
    whole = folder / f"{name}-{viewport['width']}-{scheme}.png"

    page.screenshot(path=first)
    page.screenshot(path=whole, full_page=True)

    assert first.stat().st_size > 10_000 and whole.stat().st_size > 10_000
