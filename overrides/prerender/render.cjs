// Renders TeX to MathJax CommonHTML for the prerender_math MkDocs hook (overrides/hooks/).
//
// One process serves a whole build: the hook writes one JSON request per line on stdin and reads
// one JSON answer per line on stdout, in order.
//   {"tex": "...", "display": true} -> {"html": "<mjx-container ...>"} or {"error": "message"}
//   {"reset": true}                 -> {"ok": true} (a new page: forget \label names, as texReset)
//   {"stylesheet": true}            -> {"css": "..."} (CHTML styles of every character so far)
// A typeset formula's answer also lists what it adds to the stylesheet, in order:
//   {"html": "...", "usage": [[kind, item], ...]}  kind "w" a wrapper (mjx-mfrac...), "c" a
//   character [variant, code point], "d" a stretchy delimiter's code point.
// The hook keeps formulas between builds (its disk cache); for one taken from there, this process
// is told what the formula uses instead of typesetting it again, so the stylesheet comes out the
// same, rule for rule and in the same order, as when every formula is typeset here:
//   {"use": [[kind, item], ...]}    -> {"ok": true}
// Usage: node render.cjs NODE_MODULES_DIR FONT_URL
//   FONT_URL is written into the stylesheet's @font-face rules, relative to the stylesheet itself.
"use strict";

const path = require("path");
const readline = require("readline");

const [modulesDir, fontURL] = process.argv.slice(2);
if (!modulesDir || !fontURL) {
  process.stderr.write("usage: node render.cjs NODE_MODULES_DIR FONT_URL\n");
  process.exit(2);
}
const load = (name) => require(path.resolve(modulesDir, "mathjax-full", "js", name));
const { mathjax } = load("mathjax.js");
const { TeX } = load("input/tex.js");
const { CHTML } = load("output/chtml.js");
const { liteAdaptor } = load("adaptors/liteAdaptor.js");
const { RegisterHTMLHandler } = load("handlers/html.js");
const { AssistiveMmlHandler } = load("a11y/assistive-mml.js");
load("input/tex/AllPackages.js");

// The packages the site's client MathJax (tex-chtml.js + mathtools) can use: its built-in ones plus
// every one its autoload extension loads on first use. Not noundefined (an unknown macro must be an
// error, as in the client), not noerrors (it would hide errors), not require/autoload (no loader).
const PACKAGES = [
  "base", "ams", "newcommand", "configmacros", "mathtools",
  "action", "amscd", "bbox", "boldsymbol", "braket", "bussproofs", "cancel", "cases",
  "centernot", "color", "empheq", "enclose", "extpfeil", "gensymb", "html", "mhchem",
  "unicode", "upgreek", "verb",
];

const adaptor = liteAdaptor();
// Screen readers read the hidden MathML copy; the CHTML glyphs are hidden from them.
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const tex = new TeX({
  packages: PACKAGES,
  // Throw instead of drawing a red error node: the hook turns the message into a build error.
  formatError: (jax, error) => { throw error; },
});
// The client MathJax scales each formula to the x-height of the text around it; for the site's
// font stack (Helvetica/Arial-like) it measures 119.6% in Chromium. A build cannot measure the
// reader's font, so every formula gets that size.
const TEXT_TO_MATH_SCALE = 1.196;
const chtml = new CHTML({ fontURL, scale: TEXT_TO_MATH_SCALE });
const html = mathjax.document("", { InputJax: tex, OutputJax: chtml });

// CHTML's adaptive stylesheet has a rule only for what some formula used: each use goes through
// one of these three Usage lists (output/chtml/Usage.js), which keep the order of first use.
const USAGES = { w: chtml.wrapperUsage, c: chtml.font.charUsage, d: chtml.font.delimUsage };
let recording = null;  // the uses of the formula being typeset, first occurrences in order
for (const [kind, usage] of Object.entries(USAGES)) {
  const add = usage.add.bind(usage);
  usage.add = (item) => {
    if (recording) {
      const key = JSON.stringify([kind, item]);
      if (!recording.seen.has(key)) {
        recording.seen.add(key);
        recording.uses.push([kind, item]);
      }
    }
    add(item);
  };
}

// As MathDocument.convert does, keeping the MathItem: its tree gives the formula's bounding box.
function convert(texString, display) {
  const item = new html.options.MathItem(texString, tex, display);
  item.start.node = adaptor.body(html.document);
  item.setMetrics(16, 8, 80 * 8, 1000000, 1);  // convert's defaults
  item.convert(html);
  return item;
}

// A length in the formula's own em (its container's font size); 1/10000 em is below a device
// pixel even summed over a page's hundreds of formulas.
const em = (length) => `${Math.max(0, length).toFixed(4)}em`;

function answer(request) {
  if (request.reset) {
    tex.reset();
    return { ok: true };
  }
  if (request.stylesheet) {
    return { css: adaptor.textContent(chtml.styleSheet(html)) };
  }
  if (Array.isArray(request.use)) {
    for (const [kind, item] of request.use) {
      if (!USAGES[kind]) return { error: `unknown usage kind ${JSON.stringify(kind)}` };
      USAGES[kind].add(item);
    }
    return { ok: true };
  }
  if (typeof request.tex !== "string") {
    return { error: "request has no TeX string" };
  }
  recording = { seen: new Set(), uses: [] };
  try {
    const display = Boolean(request.display);
    const item = convert(request.tex, display);
    const node = item.typesetRoot;
    if (display) {
      // A display formula wider than the column scrolls: keyboard users must be able to reach it
      // (the client MathJax makes every formula focusable for its menu).
      adaptor.setAttribute(node, "tabindex", "0");
      // The drawn formula's size, so that the browser can skip laying it out while it is off
      // screen (content-visibility on mjx-math, in the hook's stylesheet) and still give the page
      // its true height. Only the drawing is skipped: its sibling, the MathML that assistive
      // technology reads, stays in the accessibility tree.
      const { w, h, d } = chtml.getBBox(item, html);
      const drawing = adaptor.tags(node, "mjx-math")[0];
      adaptor.setStyle(drawing, "contain-intrinsic-size", `auto ${em(w)} auto ${em(h + d)}`);
    }
    return { html: adaptor.outerHTML(node), usage: recording.uses };
  } catch (error) {
    return { error: String(error.message || error) };
  } finally {
    recording = null;
  }
}

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  let reply;
  try {
    reply = answer(JSON.parse(line));
  } catch (error) {
    reply = { error: `bad request: ${error.message}` };
  }
  process.stdout.write(JSON.stringify(reply) + "\n");
});
