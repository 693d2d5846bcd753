// The site's math in the reader's browser: usually already typeset, otherwise MathJax 3.
//
// `mkdocs build` typesets every formula into the HTML (overrides/hooks/prerender_math.py), so on
// such a page this script loads nothing and only sets the `math-typeset` mark. MathJax
// (docs/vendor/mathjax/es5/tex-chtml.js) is loaded, once, only when a page still holds TeX: a
// build that ignores MkDocs hooks (e.g. Zensical), or a formula `mkdocs serve` left as TeX after an
// error.
//
// The MathJax configuration differs from the snippet in Material's documentation, on purpose:
// - MathJax's own startup typeset is off, and every typeset is chained on MathJax.startup.promise.
//   Material's document$ also fires on the first load; typesetting from there while MathJax's own
//   startup typeset runs lets macros loaded on demand (\boldsymbol, \cancel) render as undefined.
// - Pages are typeset from this script's single document$ subscription, so each page (first load
//   or instant navigation) is typeset exactly once.
(() => {
  // MathJax lives beside this script's folder, under whatever path the site is served from.
  const mathjaxUrl = new URL("../vendor/mathjax/es5/tex-chtml.js", document.currentScript.src);
  let resolveMathJaxReady;
  const mathjaxReady = new Promise((resolve) => { resolveMathJaxReady = resolve; });

  window.MathJax = {
    tex: {
      // Arithmatex (generic) wraps page math in \( \) and \[ \]; notebook cells keep $ and $$.
      inlineMath: [["\\(", "\\)"], ["$", "$"]],
      displayMath: [["\\[", "\\]"], ["$$", "$$"]],
      processEscapes: true,
      processEnvironments: true,
      // \coloneqq comes from mathtools; without noundefined an unknown macro is a visible error
      // node (which the browser tests catch) instead of quiet red text.
      packages: { "[+]": ["mathtools"], "[-]": ["noundefined"] },
    },
    loader: { load: ["[tex]/mathtools"] },
    options: {
      // Only math the Markdown pipeline marked, notebook Markdown cells and navigation labels are
      // typeset: a dollar sign in prose or code stays a dollar sign. MathJax ignores an element
      // whose class matches and everything inside it, up to an element of a processed class;
      // every Material container has a class, while the paragraphs and lists inside a notebook
      // cell have none, so they stay processed (Material's documented ".*|" also matches "no
      // class" and would skip them). The build-time hook reads these same three settings.
      ignoreHtmlClass: ".+",
      // md-ellipsis: Material's labels in the navigation and table of contents, which repeat a
      // heading's math as \( \) text.
      processHtmlClass: "arithmatex|jp-RenderedMarkdown|md-ellipsis",
    },
    startup: {
      typeset: false,
      ready() {
        MathJax.startup.defaultReady();
        resolveMathJaxReady();
      },
    },
  };

  // TeX left in the page: a marked formula without MathJax output, or delimiters in the text of a
  // navigation label or of a notebook cell the build did not typeset.
  const TEX_DELIMITER = /\\[([]|\$/;
  const textOutsideMath = (element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT, {
      acceptNode: (text) => (text.parentElement.closest("mjx-container")
        ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
    });
    let text = "";
    while (walker.nextNode()) text += walker.currentNode.textContent;
    return text;
  };
  const hasUntypesetMath = () =>
    [...document.querySelectorAll(".arithmatex")]
      .some((node) => !node.querySelector("mjx-container"))
    || [...document.querySelectorAll(
      ".md-ellipsis, .jp-RenderedMarkdown:not([data-math-prerendered])",
    )].some((node) => TEX_DELIMITER.test(textOutsideMath(node)));

  let mathjaxRequested = false;
  const loadMathJax = () => {
    if (!mathjaxRequested) {
      mathjaxRequested = true;
      const script = document.createElement("script");
      script.src = mathjaxUrl.href;
      script.async = true;
      script.onerror = () => console.error(`MathJax could not be loaded from ${script.src}`);
      document.head.appendChild(script);
    }
    return mathjaxReady;
  };
  const typesetWithMathJax = () => {
    MathJax.startup.promise = MathJax.startup.promise.then(() => {
      // Instant navigation swaps the page body: forget the old page's math and labels.
      MathJax.typesetClear();
      MathJax.texReset();
      return MathJax.typesetPromise();
    });
    return MathJax.startup.promise;
  };
  // "Typeset" means: every formula's final HTML is in the DOM, its stylesheet applies, and the
  // fonts it uses have loaded (reading layout starts their download; fonts.ready waits for it).
  const fontsLoaded = () => {
    void document.body.offsetHeight;
    return document.fonts.ready;
  };

  // The latest page's typeset; the browser tests wait for it.
  window.mathTypeset = Promise.resolve();
  const typesetPage = () => {
    const needsMathJax = hasUntypesetMath();
    window.mathTypeset = window.mathTypeset
      .then(() => (needsMathJax ? loadMathJax().then(typesetWithMathJax) : null))
      .then(fontsLoaded)
      // A standard timing mark: the benchmark reads it to time "navigation to math typeset".
      .then(() => performance.mark("math-typeset"))
      .catch((error) => console.error("Math typeset failed:", error));
    return window.mathTypeset;
  };

  if (typeof document$ !== "undefined") {
    document$.subscribe(typesetPage);
  } else if (document.readyState === "loading") {
    // Without Material (e.g. another theme), typeset the single page once.
    document.addEventListener("DOMContentLoaded", typesetPage);
  } else {
    typesetPage();
  }
})();
