r"""Definitions written with `=`, as the sources write them (GRAMMAR.md, "Definitions with =").

In a display block, a statement `z = W x` whose left side is a name the scope does not know yet
(its first use) defines it, like `z \coloneqq W x`; so does a family `L_i = -\log P_{i y_i}` whose
letter is new, and a function head `f(x, y) = x y` or `\sigma(z) = \frac{1}{1 + e^{-z}}` (with `=`
or `\coloneqq`) defines a function. The block's mark says which names were read as definitions
from `=`, so a typo on a left side (a new name where a known one was meant) is seen, not silently
checked as something else. A left side whose name also appears on the right is refused: as a
definition it would use itself, as a claim the name is undeclared. Inline math never defines with
`=` (a summary sentence before the derivation is a claim about names defined further down).
"""

from __future__ import annotations

import re

from ..errors import fail_at
from ..evaluation.code_names import convention_statement, refuse_if_d_means_more
from ..evaluation.evaluate import Context, Evaluator
from ..evaluation.lookalikes import refuse_undeclared_decoration
from ..evaluation.indices import RangeFinder, is_index_letter, walk
from ..evaluation.named_arrays import constant
from ..evaluation.scope import SIZE_VALUES, Symbol, SymbolKind
from ..tex.definitions import FunctionDefinition, function_head
from ..tex.syntax import Differential, Dots, Matrix, Name, Power, Subscripted
from ..tex.vocabulary import tex_name

#: A name as written, in parts: `L`, `W_1`, `P_{ij}`, `\hat{W}`, `\lambda`, `\mathbf{z}` (the letter
#: inside bold), a subscript, and a superscript that is skipped (`\sigma_j^2`).
_NAME_PARTS = re.compile(r"(?:\\(?:mathbf|boldsymbol|bm)\{(?P<bold>[A-Za-z])\}|(?P<base>\\[A-Za-z]+"
                         r"\{[A-Za-z]\}|\\[A-Za-z]+|[A-Za-z]))(?:\s*_\s*(?:\{(?P<braced>[^{}]*)\}"
                         r"|(?P<sub>\w)))?(?:\s*\^\s*(?:\{[^{}]*\}|\w))?")
_NAME = re.sub(r"\(\?P<\w+>", "(?:", _NAME_PARTS.pattern)  # the same, without its groups
#: Names at the start of a statement (the formula's start, or after `,`, `\quad`, `\\`, `&`), then
#: the relation that declares or defines them: `x, y \in`, `L \coloneqq`, `P_{ij} =`.
_STATEMENT_HEAD = re.compile(rf"(?:^|,|\\q?quad|\\\\|&)\s*(?P<names>{_NAME}(?:\s*,\s*{_NAME})*)\s*"
                             r"(?P<relation>\\coloneqq|\\triangleq|\\in(?![A-Za-z])|"
                             r"(?:\\(?:overset|stackrel|underset)\{(?:[^{}]|\{[^{}]*\})*\}\{)?=)")


def names_written_in_heads(tex: str, equals_defines: bool = True) -> dict:
    r"""{name: "declared" or "defined"} for the names a formula's text puts at the start of a
    statement, before `\in` or before `\coloneqq` or `=` (also `\triangleq`, and `=` under a label,
    `\stackrel{\text{def}}{=}`: tex/relation_labels.py), as the checker shows names (`L`,
    `\hat{W}`, `z` for `\mathbf{z}`, both `W` and `W_1` for `W_1`). Read from the text alone, for
    a formula with a problem, so that a later use of one of them can say where it was meant to be
    declared or defined (`Scope.undeclared_tail`). Without `equals_defines` (inline math, where
    `=` never defines) a head before `=` names nothing.

    >>> names_written_in_heads(r"x, \mathbf{z} \in \mathbb{R}, \quad F \coloneqq X W + "
    ...                        r"\mathbf{1} b^\top, \quad P_{ij} = F_{ij}")
    {'x': 'declared', 'z': 'declared', 'F': 'defined', 'P': 'defined', 'P_ij': 'defined'}
    >>> names_written_in_heads(r"\frac{\partial L}{\partial W} = X^\top G")
    {}
    >>> names_written_in_heads(r"Q = X W", equals_defines=False)
    {}
    >>> names_written_in_heads(r"\mathbf{W}_1 \coloneqq X, \quad \sigma_j^2 = 1")
    {'W': 'defined', 'W_1': 'defined', '\\sigma': 'defined', '\\sigma_j': 'defined'}
    >>> names_written_in_heads(r"G \triangleq X, \quad H \stackrel{\text{def}}{=} X")
    {'G': 'defined', 'H': 'defined'}
    """
    names = {}
    for head in _STATEMENT_HEAD.finditer(tex):
        relation = head.group("relation")
        if relation.endswith("=") and not equals_defines:  # also `\overset{(a)}{=`
            continue
        verb = "declared" if relation == "\\in" else "defined"
        for name in _NAME_PARTS.finditer(head.group("names")):
            base = name.group("bold") or name.group("base")
            names.setdefault(base, verb)
            subscript = name.group("braced") or name.group("sub")
            if subscript:
                compact = re.sub(r"[\s,]", "", subscript)
                names.setdefault(f"{base}_{compact}", verb)
    return names


#: The value the parameters take when a function's body is tried at its definition (a positive
#: number inside the domain of log and sqrt), so that an undeclared name in the body is reported there.
TRIAL_ARGUMENT = 0.25


def function_definition(checker, chain):
    """(name token, name, parameters) when `chain` defines a new function, else None."""
    if chain.relations[0].text not in ("=", "\\coloneqq"):
        return None
    head = function_head(chain.items[0])
    if head is None or checker.scope.any_arity(head[1]) or checker.scope.is_size(head[1]):
        return None
    if chain.relations[0].text == "=" and not checker.equals_defines:
        return None
    return head


def define_function(checker, head, chain) -> None:
    """Add the function `head` defines by the body after its `=` (one relation only)."""
    name_tok, name, params = head
    if len(chain.relations) > 1:
        raise fail_at(chain.relations[1], f"the definition of the function {tex_name(name)} is one "
                                          "relation; expected its claims as separate statements")
    body = chain.items[1]
    if len(set(params)) != len(params):
        raise fail_at(name_tok, f"a parameter of {tex_name(name)} repeats; expected distinct names "
                                "such as f(x, y)")
    for param in params:
        if checker.scope.is_size(param):
            raise fail_at(name_tok, f"{param} is a size; expected another parameter name")
    finder = RangeFinder(checker.scope, checker.entry_sizes)
    finder.visit(body)
    for param in params:
        finder.values.pop(param, None)
        if param in finder.ranges or param in finder.summed:
            raise fail_at(name_tok, f"the parameter {param} of {tex_name(name)} is used as an index "
                                    "in its body; expected it as a value")
    definition = FunctionDefinition(name, params, body, finder.finish(), name_tok.line)
    symbol = Symbol(name, 0, SymbolKind.FUNCTION, name_tok.line, body=definition)
    checker.scope.add(symbol, name_tok)
    checker.own.add(symbol.key)
    checker.defined += 1
    # Try the body once, so that an undeclared name in it is reported at the definition.
    trial = Evaluator(Context(checker.scope, 0), definition.ranges)
    trial.bindings = {param: constant(TRIAL_ARGUMENT) for param in params}
    try:
        trial.eval(body)
    except Exception:
        checker.scope.failed[symbol.key] = name_tok.line
        raise


def state_code_name(checker, chain) -> None:
    """`dW \\coloneqq \\frac{\\partial L}{\\partial W}` (or with `=`): the page's convention for
    the code's gradient names (evaluation/code_names.py), kept in the scope."""
    scope = checker.scope
    refuse_if_d_means_more(scope, {}, chain.items[0])
    loss = convention_statement(scope, chain.items[0], chain.items[1])
    if scope.code_gradient_loss is None:
        scope.code_gradient_loss = (loss, chain.items[0].tok.line)


def refuse_defined_power(checker, subject, relation: str) -> None:
    """`\\sigma_j^2 = \\frac{1}{N} \\sum_i ...` (or with `\\coloneqq`), a variance named by its
    square, as sources write it: the relation defines a name, not its power. Return for any other
    left side."""
    if not isinstance(subject, Power) or _new_name(checker, subject.base) is None:
        return
    base = subject.base
    shown = (f"{tex_name(base.base)}_{{{base.text}}}" if isinstance(base, Subscripted)
             else tex_name(base.name))
    raise fail_at(base.tok, f"{shown} is new on the left of {relation} under a power: {relation} "
                            "defines a name, not its power; expected a new name for the right "
                            f"side, as in v {relation} ..., and {shown} written with it, as in "
                            "\\sqrt{v}")


def equals_definition(checker, chain) -> bool:
    """Whether `chain` (first relation `=`) defines its left side: a new name or family."""
    if not checker.equals_defines:
        return False
    subject, body = chain.items[0], chain.items[1]
    if isinstance(body, Matrix) and any(isinstance(e, Dots) for row in body.rows for e in row):
        return False  # named columns or rows: their matrix must be known (blocks.name_pieces)
    refuse_defined_power(checker, subject, "=")
    name = _new_name(checker, subject)
    if name is None:
        return False
    if isinstance(subject, Name):  # `\\mathcal{W} = W`: W in another font, or a new symbol?
        refuse_undeclared_decoration(checker.scope, subject)
    for item in chain.items[1:]:
        for node in walk(item):
            if isinstance(node, (Name, Subscripted)) and (getattr(node, "name", None) == name
                                                          or getattr(node, "base", None) == name):
                shown = tex_name(name)
                raise fail_at(node.tok, f"{shown} is new on the left of = and appears on the right: "
                                        f"as a definition of {shown} it would use itself, as a claim "
                                        f"{shown} is undeclared; expected a declaration of {shown} "
                                        f"before the claim, or a new name on the left for a "
                                        "definition")
    return True


def _new_name(checker, subject):
    """The name `subject` would define (a plain name or a family's letter), if it is new."""
    scope = checker.scope
    if isinstance(subject, Differential):
        return None  # `\mathrm{d}F = X \mathrm{d}W` states the differential of F: a claim
    if isinstance(subject, Subscripted) and all(
            isinstance(i, Name) and is_index_letter(scope, i.name) for i in subject.items):
        name = subject.base
    else:
        name = checker.plain_name(subject)
        if name is None or not checker.is_new(subject):
            return None
        if isinstance(subject, Subscripted) and scope.any_arity(subject.base):
            return None  # `X_{9,1}` is an entry of X, not a new name
    if scope.any_arity(name) or scope.is_size(name) or name in SIZE_VALUES or (
            isinstance(subject, Name) and name == "e"):
        return None  # `N = 300` names a size's value in prose: never a symbol N
    return name

