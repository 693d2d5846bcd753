// A caret between letters in a search query (`X^T`, the way a learner writes a transpose) is sent
// to the search worker as `ˆ` (U+02C6): lunr, which Material's search runs, reads `^` as a boost
// (`X` boosted by `T`) and finds nothing, and its escape `\^` does not survive Material's query
// rewriting. The index holds the same `ˆ` wherever a page writes `X^\top` or `X^T`
// (formulacheck/search_text.py, CARET).
(() => {
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message, ...rest) {
    if (message && typeof message.data === "string" && typeof message.type === "number") {
      message = { ...message, data: message.data.replace(/(?<=\w)\^(?=\w)/g, "\u02c6") };
    }
    return post.call(this, message, ...rest);
  };
})();
