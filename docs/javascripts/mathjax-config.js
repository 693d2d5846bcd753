// MathJax 3 configuration for the site; MathJax itself is served from docs/vendor/mathjax/.
//
// Two things differ from the snippet in Material's documentation, on purpose:
// - MathJax's own startup typeset is off, and every typeset is chained on MathJax.startup.promise.
//   Material's document$ also fires on the first load; typesetting from there while MathJax's own
//   startup typeset runs lets macros loaded on demand (\boldsymbol, \cancel) render as undefined.
// - document$ is subscribed only once MathJax is ready, so the first page is typeset exactly once.
window.MathJax = {
  tex: {
    // Arithmatex (generic) wraps page math in \( \) and \[ \]; notebook Markdown cells keep $ and $$.
    inlineMath: [["\\(", "\\)"], ["$", "$"]],
    displayMath: [["\\[", "\\]"], ["$$", "$$"]],
    processEscapes: true,
    processEnvironments: true,
    // \coloneqq comes from mathtools; without noundefined an unknown macro is a visible error node
    // (which the browser tests catch) instead of quiet red text.
    packages: { "[+]": ["mathtools"], "[-]": ["noundefined"] },
  },
  loader: { load: ["[tex]/mathtools"] },
  options: {
    // Only math the Markdown pipeline marked, notebook Markdown cells and navigation labels are
    // typeset: a dollar sign in prose or code stays a dollar sign. MathJax ignores an element
    // whose class matches and everything inside it, up to an element of a processed class; every
    // Material container has a class, while the paragraphs and lists inside a notebook cell have
    // none, so they stay processed (Material's documented ".*|" also matches "no class" and
    // would skip them).
    ignoreHtmlClass: ".+",
    // md-ellipsis: Material's labels in the navigation and table of contents, which repeat a
    // heading's math as \( \) text.
    processHtmlClass: "arithmatex|jp-RenderedMarkdown|md-ellipsis",
  },
  startup: {
    typeset: false,
    ready() {
      MathJax.startup.defaultReady();
      const typesetPage = () => {
        MathJax.startup.promise = MathJax.startup.promise
          .then(() => {
            // Instant navigation swaps the page body: forget the old page's math and labels.
            MathJax.typesetClear();
            MathJax.texReset();
            return MathJax.typesetPromise();
          })
          // A standard timing mark: the benchmark reads it to time "navigation to math typeset".
          .then(() => performance.mark("math-typeset"))
          .catch((error) => console.error("MathJax typeset failed:", error));
        return MathJax.startup.promise;
      };
      if (typeof document$ !== "undefined") {
        document$.subscribe(typesetPage);
      } else {
        // Without Material (e.g. another theme), typeset the single page once.
        typesetPage();
      }
    },
  },
};
