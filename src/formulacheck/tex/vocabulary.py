r"""The TeX the checker knows, in one table: every command set, relation and name form.

A new relation, accent or font command is added here, once; the tokenizer, the parser, the
statement splitter, the inline rules and the search text all read these sets. Commands are
written as the tokenizer gives them (`\frac`, with its backslash); the readable forms at the end
are keyed by the command's name without it, as a text search sees them.
"""

from __future__ import annotations

# -- what the tokenizer drops or keeps whole ---------------------------------------------------
#: Spacing and sizing commands: presentation, dropped by the tokenizer.
SPACING = frozenset({
    "\\,", "\\;", "\\:", "\\!", "\\ ", "\\>", "\\enspace", "\\thinspace", "\\medspace",
    "\\thickspace", "\\negthinspace", "\\displaystyle", "\\textstyle", "\\nonumber", "\\notag",
    "\\big", "\\Big", "\\bigg", "\\Bigg", "\\bigl", "\\bigr", "\\Bigl", "\\Bigr", "\\biggl",
    "\\biggr", "\\Biggl", "\\Biggr", "\\limits", "\\nolimits"})
#: Commands whose argument is words, not math: one token with the words as its `arg`.
TEXT_COMMANDS = frozenset({"\\text", "\\textrm", "\\textit", "\\textbf", "\\mbox", "\\hbox"})
#: Bold letters: `\mathbf{x}` is the symbol x (`\mathbf{1}_N` is a vector of ones).
BOLD = frozenset({"\\mathbf", "\\boldsymbol", "\\bm"})
#: Accents make a new symbol: `\hat{X}` (named `hat_X` in `code:` markers) is not `X`.
ACCENTS = frozenset({"\\hat", "\\bar", "\\tilde"})
#: Calligraphic letters are symbols of their own: `\mathcal{L}` is not `L` (tex/letters.py).
CALLIGRAPHIC = frozenset({"\\mathcal"})
#: Font commands that name one letter (`\mathrm{d}`, `\mathsf{T}`) or an operator (`\mathrm{tr}`).
FONT_NAMES = frozenset({"\\mathrm", "\\mathit", "\\mathsf"})
#: Typewriter words are names from the code: `\mathtt{dscores}` is the symbol dscores
#: (tex/code_names.py).
CODE_FONTS = frozenset({"\\mathtt", "\\texttt"})
#: Commands whose argument names one symbol: it must be braced when anything follows.
SYMBOL_ARGUMENT = BOLD | ACCENTS | FONT_NAMES | CALLIGRAPHIC | CODE_FONTS | {"\\mathbb"}
#: Labels and tags of a display block: presentation, read as the block's name.
LABELS = frozenset({"\\label", "\\tag"})
#: Commands that always take a braced argument.
NEEDS_ARGUMENT = LABELS | {"\\begin", "\\end", "\\operatorname", "\\text"}
#: Every command whose braced argument the tokenizer keeps as text (`arg`).
TEXT_ARGUMENT = TEXT_COMMANDS | SYMBOL_ARGUMENT | NEEDS_ARGUMENT
#: One-character tokens of kind `sym`.
PUNCTUATION = frozenset("+-=()[]{}^_,.|&<>:;'/!*")
DIGITS = frozenset("0123456789")

# -- symbols -------------------------------------------------------------------------------------
GREEK = frozenset({
    "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "iota",
    "kappa", "mu", "nu", "xi", "rho", "sigma", "tau", "phi", "varphi", "chi", "psi", "omega",
    "ell", "Gamma", "Delta", "Theta", "Lambda", "Sigma", "Phi", "Psi", "Omega", "lambda"})
#: Items a subscript may hold besides letters, greek and digits (`p_+`, `y_\star`, `x_'`).
SUBSCRIPT_MARKS = frozenset({"+", "-", "\\star", "'"})

# -- relations -----------------------------------------------------------------------------------
#: Comparisons, as written -> as evaluated: in an indicator, a claim, an inline rule.
RELATIONS = {"=": "=", "\\neq": "!=", "\\ne": "!=", ">": ">", "<": "<", "\\geq": ">=",
             "\\ge": ">=", "\\leq": "<=", "\\le": "<=",
             # the same signs as other sources write them (MathJax's \lt, \gt; amssymb's slanted)
             "\\lt": "<", "\\gt": ">", "\\leqslant": "<=", "\\geqslant": ">="}
#: The order relations of RELATIONS: a claim `a < b` holds entry by entry.
INEQUALITIES = {tex: op for tex, op in RELATIONS.items() if op not in ("=", "!=")}
DEFINES = frozenset({"\\coloneqq", ":="})
#: Relations a reader would read as something other than a claim the checker can evaluate.
NOT_CLAIMS = frozenset({"\\equiv", "\\to", "\\mapsto", "\\neq", "\\ne"})
#: `\log 3 \approx 1.0986`: the other side rounds to the decimal written (tex/decimals.py); with
#: no decimal on either side, no checkable claim.
ROUNDS_TO = "\\approx"
#: Every relation that joins the items of a statement (`A = B = C`, `x \in \mathbb{R}`).
CHAIN_RELATIONS = (frozenset({"\\in", "\\eqqcolon", ROUNDS_TO}) | frozenset(INEQUALITIES)
                   | {"="} | DEFINES | NOT_CLAIMS)

# -- operators and constructs -----------------------------------------------------------------------
#: Superscripts that transpose (`X^\top`, `X^T`, `X^\mathsf{T}`).
TRANSPOSE = frozenset({"\\top", "T", "\\intercal"})
#: Font commands whose argument `T` is a transpose (`X^{\mathsf{T}}`).
TRANSPOSE_FONTS = frozenset({"\\mathsf", "\\mathrm"})
ELEMENTWISE = frozenset({"\\odot", "\\otimes"})
FRACTIONS = frozenset({"\\frac", "\\dfrac", "\\tfrac"})
FUNCTIONS = {"\\exp": "exp", "\\log": "log", "\\ln": "log", "\\sqrt": "sqrt", "\\tanh": "tanh"}
#: Operators written `\operatorname{tr}` (or `\mathrm{tr}`), by name -> as evaluated.
#: `softmax` is row-wise on a matrix, over the entries of a vector; `sign` (or `sgn`) entry by
#: entry, -1, 0 or 1, a kink at 0 (evaluation/functions.py).
OPERATORS = {"tr": "tr", "vec": "vec", "diag": "diag", "Tr": "tr", "softmax": "softmax",
             "sign": "sign", "sgn": "sign"}
#: The same operators written as commands of their own (`\tr(A)`).
OPERATOR_COMMANDS = frozenset({"\\tr", "\\vec", "\\diag"})
OPERATOR_NAMES = frozenset({"\\operatorname"}) | FONT_NAMES
BRACES = frozenset({"\\underbrace", "\\overbrace"})
NORM_OPEN = frozenset({"\\|", "\\lVert", "\\Vert"})
NORM_CLOSE = frozenset({"\\|", "\\rVert", "\\Vert"})
DOTS = frozenset({"\\cdots", "\\vdots", "\\ddots", "\\dots", "\\ldots"})
#: Dots of a label set `\{1, \dots, K\}`.
LABEL_DOTS = frozenset({"\\dots", "\\ldots", "\\cdots"})
MATRIX_ENVIRONMENTS = frozenset({"bmatrix", "pmatrix", "matrix"})
#: Commands that end a factor (an operator, a separator, a closing delimiter); a product of
#: juxtaposed factors stops before any of them, or a relation.
ENDS_FACTOR = ELEMENTWISE | CHAIN_RELATIONS | set(RELATIONS) | {
    "\\cdot", "\\times", "\\right", "\\rVert", "\\end", "\\\\", "\\}", "\\quad", "\\qquad",
    "\\rangle"}

# -- statements of a block -------------------------------------------------------------------------
#: Environments around a whole block: presentation.
LAYOUT_ENVIRONMENTS = frozenset({
    "aligned", "align", "align*", "split", "gather", "gathered", "gather*", "equation",
    "equation*", "multline", "multline*", "alignat", "alignat*"})
#: Separators of statements at the top level of a block (also `\\` and words).
SEPARATORS = frozenset({",", ";", "\\quad", "\\qquad"})
#: Sized delimiters: presentation (`\left(` is `(`).
SIZED = frozenset({"\\left", "\\right"})
#: Delimiters that open and close a group, for counting depth.
OPENERS = frozenset({"(", "[", "{", "\\{", "\\lVert", "\\langle"})
CLOSERS = frozenset({")", "]", "}", "\\}", "\\rVert", "\\rangle"})


def tex_name(name: str) -> str:
    r"""A symbol's name as the page writes it, for messages: accents and greek letters in TeX form.

    Internally `\hat{X}` is the name `hat_X` (the spelling of `code:` markers); an author reading
    a message about their formula should see what they typed.

    >>> print(tex_name("hat_X"), tex_name("tilde_mu"), tex_name("lambda"), tex_name("W"), tex_name("dW"))
    \hat{X} \tilde{\mu} \lambda W dW
    >>> print(tex_name("mathcal_L"), tex_name("W^(1)"), tex_name("hat_h^(2)"), tex_name("dscores"))
    \mathcal{L} W^{(1)} \hat{h}^{(2)} \mathtt{dscores}
    """
    base, layer_mark, layer = name.partition("^(")
    if layer_mark:  # `W^(1)`: a layer superscript (tex/letters.py)
        return f"{tex_name(base)}^{{({layer}}}"
    accent, _, letter = name.partition("_")
    if "\\" + accent in ACCENTS | CALLIGRAPHIC and letter:
        return f"\\{accent}{{{tex_name(letter)}}}"
    if name in GREEK:
        return f"\\{name}"
    return f"\\mathtt{{{name}}}" if is_code_word(name) else name


def is_code_word(name: str) -> bool:
    r"""Whether `name` is a word from the code (`dscores`, `dhidden2`), written `\mathtt{...}`:
    letters and digits, more than one, and neither a greek letter, a gradient name (`dW`,
    `d\lambda`), a subscripted name (`W_1`) nor a decorated letter (`hat_X`, `mathcal_L`).

    >>> [is_code_word(name) for name in ("dscores", "dW", "dlambda", "lambda", "W", "hat_X", "W_1")]
    [True, False, False, False, False, False, False]
    """
    rest = name[1:]
    gradient_name = name.startswith("d") and (len(rest) == 1 or rest in GREEK)
    decorated = name.partition("_")[0] in {command[1:] for command in ACCENTS | CALLIGRAPHIC}
    # No `_`: the checker names a subscripted symbol `W_1`, and in TeX `_` is a subscript anyway.
    return (len(name) > 1 and name.isascii() and name.isalnum() and name[0].isalpha()
            and name not in GREEK and not gradient_name and not decorated)


# -- readable forms (the search index: docs' text without TeX) ------------------------------------
#: Command name (without backslash) -> the character a reader types or sees.
READABLE = {
    "top": "T", "intercal": "T", "partial": "∂", "sum": "Σ", "prod": "Π", "in": "∈",
    "notin": "∉", "times": "×", "cdot": "·", "odot": "⊙", "otimes": "⊗", "oplus": "⊕",
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈",
    "lt": "<", "gt": ">", "leqslant": "≤", "geqslant": "≥",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "mapsto": "↦", "coloneqq": ":=",
    "ldots": "…", "dots": "…", "cdots": "…", "vdots": "⋮", "ddots": "⋱", "infty": "∞",
    "nabla": "∇", "sqrt": "√", "pm": "±", "mid": "|", "lVert": "‖", "rVert": "‖", "|": "‖",
    "lvert": "|", "rvert": "|", "langle": "⟨", "rangle": "⟩", "forall": "∀", "exists": "∃",
    "ell": "ℓ", "lbrace": "{", "rbrace": "}", "{": "{", "}": "}", "_": "_", "%": "%",
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ",
    "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "phi": "φ", "varphi": "φ", "chi": "χ",
    "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ",
    "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
READABLE_BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "1": "1", "E": "E"}
#: Names left out of readable text (sizing), shown as a space (spacing), or left out with their
#: argument (labels, explicit spaces).
READABLE_DROPPED = frozenset({
    "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl",
    "biggr", "displaystyle", "textstyle", "limits", "nolimits"})
READABLE_SPACES = frozenset({",", ";", ":", "!", " ", "quad", "qquad", "\\"})
READABLE_REMOVED_WITH_ARGUMENT = frozenset({"label", "tag", "hspace", "vspace"})

#: Commands the sources use that the grammar writes otherwise, with what to write.
UNKNOWN_WITH_A_FIX = {
    "\\forall": "words after the claim, \\quad \\text{for all } i",
    "\\not": "\\neq, which is no claim: a claim is =, \\in, <, >, \\leq or \\geq",
    "\\prod": "the product written out, or a sum of logarithms (\\log \\prod = \\sum \\log)",
}
