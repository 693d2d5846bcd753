"""MkDocs hook: set the classes Material's scripts put on <html> before the page's body is parsed.

Material's bundle runs once the whole page is parsed. It swaps `<html class="no-js">` for "js",
and the focus-visible polyfill it carries adds "js-focus-visible". Each change makes the browser
restyle every element of the page: Material's stylesheet has rules under `.no-js` that end in a
bare pseudo-class (`.no-js .md-typeset .tabbed-set > input:first-child:checked ~ .tabbed-labels >
:first-child`), which the browser cannot narrow to a few elements. On a page of a few hundred
typeset formulas that is thousands of elements, restyled and laid out again before the math is
shown (Chromium traces of the affine page: 6 whole-page restyles before the math is shown, 4 or
5 with the classes set in advance; 15% fewer elements restyled). A script at the start of <head> sets both classes while the page has
no body, so they restyle nothing, and the bundle finds them set. A reader without scripts keeps
"no-js" and Material's styles for it.
"""

STARTUP_CLASSES = (
    '<script>document.documentElement.classList.replace("no-js", "js");'
    ' document.documentElement.classList.add("js-focus-visible")</script>'
)


def set_classes_early(html):
    """Return ``html`` with the class script as the first element of its <head>.

    >>> set_classes_early('<html class="no-js"><head><title>T</title></head></html>')[:54]
    '<html class="no-js"><head><script>document.documentEle'
    >>> set_classes_early("<p>no head</p>")
    '<p>no head</p>'
    """
    return html.replace("<head>", "<head>" + STARTUP_CLASSES, 1)


def on_post_page(output, page, config):
    return set_classes_early(output)
