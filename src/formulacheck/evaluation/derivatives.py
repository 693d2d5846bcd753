"""Derivatives on the graph of definitions, by the complex step.

`\\frac{\\partial A}{\\partial B}`: B names a node (a leaf, a definition, an entry of one, a named
column such as `\\boldsymbol{w}_j`, or `\\operatorname{vec}(W)`). B is treated as an independent
node: every entry of B gets its own imaginary step `1j * STEP` along an extra named axis "@", A is
re-evaluated once in a child context (only what depends on B is recomputed), and the imaginary
part divided by STEP is the derivative. The complex step has no subtraction, so it is exact to
rounding (no step-size trade-off) and never crosses a ReLU kink: max, |x| and indicators choose
their branch from the real part, which is not perturbed.

Layout: a scalar by a matrix or vector has the shape of the denominator; an entry by an entry
carries the free indices of both (a repeated letter is a diagonal: dL_i/dF_ij); a column vector by
a column vector is the Jacobian, one row per entry of the numerator.
"""

from __future__ import annotations

import numpy as np

from . import named_arrays as na
from ..errors import fail_at
from ..limits import DERIVATIVE_BUDGET, DERIVATIVE_CHUNK
from .scope import DRAWN_KINDS, SymbolKind
from .named_arrays import Tensor
from ..tex.vocabulary import tex_name
from ..tex.syntax import Call, Name, Subscripted
from .code_names import refuse_bare_d
from .conventions import laid_out
from .indices import resolve_subscripted
from .lookalikes import undeclared_symbol
from ..tex.code_names import CodeName
from .tensors import refuse_whole_tensor

STEP = 1e-20

#: How a page writes the loss of a layer's backward pass, for a message about a numerator that
#: depends on nothing (the affine page's form; the contributors' guide, "any loss").
ANY_LOSS = ("for any loss with upstream gradient G by an output Y, declare G with the shape of Y "
            "and define L \\coloneqq \\sum_{i=1}^{N} \\sum_{j=1}^{D} G_{ij} Y_{ij}, then "
            "\\frac{\\partial L}{\\partial Y_{ij}} = G_{ij}")


def _target(evaluator, node):
    """(symbol, slots or None, mode) for the denominator `node`."""
    scope = evaluator.scope
    if isinstance(node, Call) and node.func == "vec" and len(node.args) == 1:
        symbol, slots, mode = _target(evaluator, node.args[0])
        if mode != "whole":
            raise fail_at(node.tok, "vec in a denominator takes a whole matrix, as in "
                                    "\\operatorname{vec}(W)")
        return symbol, None, "vec"
    if isinstance(node, Name):
        symbol = scope.lookup(node.name, 0)
        if symbol is None and isinstance(node, CodeName):
            raise refuse_bare_d(node.tok, node.name)
        if symbol is None:
            families = [s for s in scope.any_arity(node.name) if s.kind == SymbolKind.DEFINED]
            if not families:
                where = scope.undeclared_tail(node.name, "")  # a formula with a problem
                raise fail_at(node.tok, f"undeclared symbol {tex_name(node.name)} in the denominator"
                                        + (f"; {where}" if where else ""))
            symbol = families[0]
        return symbol, None, "whole"
    if isinstance(node, Subscripted):
        kind, symbol = resolve_subscripted(scope, node)
        if kind == "symbol":
            return symbol, None, "whole"
        if kind == "entry":
            return symbol, node.items, "entry"
    raise fail_at(node.tok, "the denominator of a derivative must name a node: a symbol, an entry "
                            "(F_{ij}), a named column, or \\operatorname{vec}(W)")


def derivative(evaluator, node) -> Tensor:
    """Evaluate `\\frac{\\partial A}{\\partial B}` (see the module docstring for the layout)."""
    context = evaluator.context
    if context.perturbed:
        raise fail_at(node.tok, "a derivative inside the numerator of another derivative is not "
                                "supported; name the inner derivative first")
    if node.plain_d is not None:
        _refuse_italic_d(evaluator.scope, node.plain_d)
    _refuse_undeclared_numerator(evaluator, node.numerator)
    symbol, slots, mode = _target(evaluator, node.denominator)
    if symbol.kind in (SymbolKind.LABELS, SymbolKind.LABEL):
        raise fail_at(node.denominator.tok, f"{symbol.name} holds labels; there is no derivative "
                                            "by a label")
    node_symbol = evaluator.scope.symbols[symbol.alias_of] if symbol.kind == SymbolKind.ALIAS else symbol
    evaluator.used.add(node_symbol.key)
    base = context.value(node_symbol.key, node.tok)
    if mode != "entry":  # a tensor of more than two axes has no whole layout (evaluation/tensors.py)
        refuse_whole_tensor(node_symbol, base, node.denominator.tok)
    entries = base.data.size
    numerator, imaginary = _perturbed_numerator(evaluator, node, node_symbol.key, base)
    if "@" in numerator.names:
        axis = numerator.names.index("@")
        data = np.moveaxis(imaginary, axis, len(numerator.names) - 1) / STEP
        names = tuple(n for n in numerator.names if n != "@")
    else:  # laid out as zeros, so that a denominator's own problem is reported first
        names = numerator.names
        data = np.zeros(numerator.data.shape + (1,))
        data = np.moveaxis(data, -1, len(names))
        data = np.broadcast_to(data, data.shape[:len(names)] + (entries,) + data.shape[len(names) + 1:])
    # data: [numerator names, one axis over the entries of B, numerator positional axes]
    lead = len(names)
    data = data.reshape(data.shape[:lead] + base.data.shape + data.shape[lead + 1:])
    base_axes = [f"#{k}" for k in range(base.data.ndim)]
    jacobian = Tensor(data, names + tuple(base_axes), numerator.pos)
    result = _layout(evaluator, node, jacobian, symbol, base, base_axes, slots, mode)
    if "@" not in numerator.names:  # nothing in the numerator was computed from B
        _refuse_independent(evaluator.scope, node, node_symbol)
    return laid_out(evaluator.scope, numerator, result) if mode != "entry" else result


def _perturbed_numerator(evaluator, node, key, base: Tensor):
    """The numerator with every entry of the node `key` (value `base`) stepped along the axis "@",
    and the imaginary part of its data, the "@" axis complete.

    The perturbed values carry one copy of the node per entry: entries x entries numbers for a
    scalar numerator, more for the values computed on the way (a convolution's sum over a window
    holds the window for every output, once per copy). Where that is more than DERIVATIVE_CHUNK
    numbers, the entries are stepped a chunk at a time and the imaginary parts joined: the first
    entry alone, which tells the most numbers one copy's values hold, then chunks of as many
    entries as DERIVATIVE_CHUNK allows for that many (and for the node's copies). The values of a
    chunk are exactly those of the same entries stepped all at once.
    """
    entries = base.data.size
    if entries * entries > DERIVATIVE_BUDGET:
        raise fail_at(node.tok, f"this derivative would step {entries * entries:,} numbers (the "
                                f"{entries:,} entries of its denominator, each perturbed on its "
                                f"own copy), more than the checker's budget of "
                                f"{DERIVATIVE_BUDGET:,} per derivative; expected smaller sizes")
    chunk = max(1, DERIVATIVE_CHUNK // entries)
    numerator, parts, start = None, [], 0
    while start < entries:
        # the first entry alone, a probe of what one copy's values hold
        count = 1 if not parts else min(chunk, entries - start)
        steps = np.zeros((count, entries))
        steps[np.arange(count), start + np.arange(count)] = 1.0
        steps = steps.reshape((count,) + base.data.shape)
        perturbed = Tensor(base.data[None] + 1j * STEP * steps, ("@",) + base.names, base.pos)
        child = evaluator.perturbed_by({key: perturbed})
        part = child.eval(node.numerator)
        evaluator.trace.merge(child.trace)
        evaluator.used |= child.used
        if numerator is None:  # the shape claims met on the way are the same in every chunk
            evaluator.shape_checks += child.shape_checks
            numerator = part
            chunk = max(1, min(chunk, DERIVATIVE_CHUNK // max(child.trace.largest, 1)))
        parts.append(np.imag(part.data))
        start += count
    if "@" not in numerator.names:
        return numerator, None
    return numerator, np.concatenate(parts, axis=numerator.names.index("@"))


def _refuse_undeclared_numerator(evaluator, numerator) -> None:
    """An undeclared name as the numerator (`\\frac{\\partial L}{\\partial x}` before any L): the
    usual advice, a declaration, would make it a random value that depends on nothing."""
    if not isinstance(numerator, Name) or isinstance(numerator, CodeName):
        return
    scope, name = evaluator.scope, numerator.name
    if (scope.lookup(name, 0) or scope.any_arity(name) or scope.is_size(name)
            or name in evaluator.ranges):
        return
    shown = tex_name(name)
    usual = (f"expected {shown} defined with \\coloneqq from what it is differentiated by, not "
             f"declared (a declared {shown} is a random value that depends on nothing); {ANY_LOSS}")
    raise undeclared_symbol(scope, numerator, usual, " in the numerator of a derivative")


def _refuse_independent(scope, node, denominator) -> None:
    r"""Raise for a derivative whose numerator is not computed from its denominator at all: it
    is 0 everywhere, so a claim about it checks nothing (`\frac{\partial L}{\partial x} =
    \frac{\partial L}{\partial y} \odot (1 - y^2)` holds as 0 = 0, whatever the factor, after
    `L \in \mathbb{R}`), and a claim that it is not 0 fails for a reason its values do not show."""
    by = tex_name(denominator.name)
    numerator = node.numerator
    name = numerator.base if isinstance(numerator, Subscripted) else getattr(numerator, "name", None)
    symbols = scope.any_arity(name) if isinstance(name, str) else []
    if symbols and symbols[0].kind in DRAWN_KINDS:
        what = f"{_depends_on_nothing(tex_name(name), symbols[0].line)}, so its derivative by {by}"
        fix = f"a numerator defined from {by} with \\coloneqq; {ANY_LOSS}"
    elif symbols:
        what = (f"{tex_name(name)} (line {symbols[0].line}) is not computed from {by}, so its "
                f"derivative by {by}")
        fix = (f"a definition of {tex_name(name)} that uses {by} (was it left out?), or the "
               "derivative by a symbol it uses")
    else:
        what = f"the numerator is not computed from {by}, so its derivative by {by}"
        fix = f"a numerator computed from {by}"
    raise fail_at(numerator.tok, f"{what} is 0 for every value, and a claim about it checks "
                                 f"nothing; expected {fix}")


def _refuse_no_direction(node, target, directions: dict) -> None:
    """`\\mathrm{d}L` of a symbol computed from none of the leaves with a declared direction: it is
    0 along every one, so a claim about it checks nothing (as `_refuse_independent`)."""
    name = tex_name(target.name)
    named = ", ".join(f"\\mathrm{{d}}{tex_name(symbol.name[1:])}" for symbol in directions.values())
    if target.kind == SymbolKind.LEAF:
        what = _depends_on_nothing(name, target.line)
    else:
        what = (f"{name} (line {target.line}) is computed from none of the leaves with a declared "
                f"direction ({named})")
    raise fail_at(node.tok, f"{what}, so \\mathrm{{d}}{name} is 0 along every direction, and a "
                            f"claim about it checks nothing; expected {name} defined from a leaf "
                            "with a declared direction, or a direction declared for a leaf it uses")


def _depends_on_nothing(name: str, line: int) -> str:
    return f"{name} is declared at line {line}: a random value of its own, which depends on nothing"


def _refuse_italic_d(scope, d_tok) -> None:
    """`\\frac{d s}{d z}` reads as a derivative only while d is nothing else on the page."""
    if scope.is_size("d") or scope.any_arity("d"):
        what = "a size" if scope.is_size("d") else "a symbol"
        raise fail_at(d_tok, f"d is {what} on this page, so \\frac{{d s}}{{d z}} could be the "
                             "derivative of s by z or the fraction (d s) / (d z); expected "
                             "\\frac{\\mathrm{d} s}{\\mathrm{d} z} for the derivative, or "
                             "\\frac{d \\cdot s}{d \\cdot z} for the fraction")


def _layout(evaluator, node, jacobian: Tensor, symbol, base: Tensor, base_axes, slots, mode):
    numerator_pos = jacobian.pos
    if mode == "entry":
        indices = [evaluator.slot_index(item) for item in slots]
        if symbol.kind == SymbolKind.ALIAS:
            axes = [jacobian.names.index(base_axes[base.data.ndim - 2 + symbol.alias_axis])]
        elif symbol.arity:
            axes = [jacobian.names.index(base_axes[base.names.index(i)]) for i in symbol.indices]
        else:
            if len(indices) > len(base.pos):
                shape = " \\times ".join(str(size) for size in base.pos) or "a scalar"
                raise fail_at(node.denominator.tok, f"{symbol.name} is {shape}: an entry takes at "
                                                    f"most {len(base.pos)} subscripts, got {len(indices)}")
            axes = [jacobian.names.index(base_axes[len(base.names) + k]) for k in range(len(indices))]
        if isinstance(node.denominator, Subscripted):  # `X_{n,c,S(i-1)+p,...}` inside its axes
            indices = evaluator.check_bounds(node.denominator, indices, jacobian, axes)
        result = na.gather(jacobian, axes, indices, numerator_pos)
        rest = [n for n in result.names if n.startswith("#")]
        if symbol.kind == SymbolKind.ALIAS:
            if not numerator_pos == ():
                raise fail_at(node.tok, "the derivative of a matrix by a named column is not "
                                        "defined here; expected a scalar numerator")
            return _names_to_pos(result, rest, base.pos[1 - symbol.alias_axis],
                                 symbol.alias_transposed)
        if rest:
            squeezed = _squeeze_unit(result, rest)
            if [n for n in squeezed.names if n.startswith("#")]:
                raise fail_at(node.denominator.tok, "the entry in the denominator needs one index "
                                                    "per axis")
            return squeezed
        return result
    if symbol.arity and symbol.kind != SymbolKind.ALIAS:
        sizes = [base.sizes[i] for i in symbol.indices]
        whole_pos = tuple(sizes) if len(sizes) == 2 else (sizes[0], 1)
    else:
        whole_pos = base.pos
    if mode == "vec":
        if len(whole_pos) != 2:
            raise fail_at(node.denominator.tok, "vec of a scalar in a denominator")
        jacobian = _vec_axes(jacobian, base_axes)
        base_axes, whole_pos = ["#v"], (whole_pos[0] * whole_pos[1], 1)
    if numerator_pos == ():
        return _names_to_pos(jacobian, base_axes, None, False, whole_pos)
    if whole_pos == ():
        return Tensor(jacobian.data, tuple(n for n in jacobian.names if n not in base_axes),
                      numerator_pos)
    if numerator_pos[1] == 1 and whole_pos[1] == 1:
        order = [n for n in jacobian.names if n not in base_axes] + list(base_axes)
        data = na.to_matrix(jacobian, tuple(order))
        lead = len(order) - len(base_axes)
        data = data.reshape(data.shape[:lead] + (whole_pos[0], numerator_pos[0]))
        return Tensor(np.swapaxes(data, -1, -2), tuple(order[:lead]),
                      (numerator_pos[0], whole_pos[0]))
    shapes = f"the derivative of a {na.shape_text(numerator_pos)} by a {na.shape_text(whole_pos)}"
    if numerator_pos == whole_pos:  # as a function applied entry by entry is written in sources
        by = tex_name(node.denominator.name) if isinstance(node.denominator, Name) else "X"
        raise fail_at(node.tok, f"{shapes} has no layout here (as a whole it has four axes); for a "
                                "function applied entry by entry, expected the slope of one entry, "
                                f"\\frac{{\\partial Y_{{ij}}}}{{\\partial {by}_{{ij}}}} with its "
                                "value Y defined by \\coloneqq (the same indices on both: the "
                                "entry's own slope), or vec on both for the whole Jacobian")
    raise fail_at(node.tok, f"{shapes} has no layout here; use vec on both")


def _squeeze_unit(tensor: Tensor, axes) -> Tensor:
    keep = [k for k, n in enumerate(tensor.names) if not (n in axes and tensor.data.shape[k] == 1)]
    drop = tuple(k for k in range(len(tensor.names)) if k not in keep)
    return Tensor(np.squeeze(tensor.data, axis=drop), tuple(tensor.names[k] for k in keep),
                  tensor.pos)


def _names_to_pos(tensor: Tensor, axes, length, transposed, whole_pos=None) -> Tensor:
    """Turn the named axes `axes` (in order) into the trailing positional shape."""
    if tensor.pos != ():
        raise fail_at(None, "internal: positional axes already present")
    order = [n for n in tensor.names if n not in axes] + list(axes)
    data = na.to_matrix(tensor, tuple(order))
    lead = len(order) - len(axes)
    if whole_pos is None:
        whole_pos = (1, length) if transposed else (length, 1)
    return Tensor(data.reshape(data.shape[:lead] + tuple(whole_pos)), tuple(order[:lead]),
                  tuple(whole_pos))


def _vec_axes(jacobian: Tensor, base_axes) -> Tensor:
    """Stack the two matrix axes of B column after column into one axis "#v"."""
    rows, cols = base_axes[-2], base_axes[-1]
    order = [n for n in jacobian.names if n not in (rows, cols)] + [cols, rows]
    data = na.to_matrix(jacobian, tuple(order))
    lead = len(order) - 2
    shape = data.shape[:lead] + (data.shape[lead] * data.shape[lead + 1],) + data.shape[lead + 2:]
    return Tensor(data.reshape(shape), tuple(order[:lead]) + ("#v",), jacobian.pos)


def differential(evaluator, node) -> Tensor:
    """`\\mathrm{d}X`: a declared or defined `dX`, else the directional derivative of X along the
    declared differentials of the leaves."""
    scope = evaluator.scope
    declared = scope.lookup("d" + node.name, 0)
    if declared is not None:
        return evaluator.symbol_value(declared, node.tok)
    target = scope.lookup(node.name, 0)
    if target is None:
        raise fail_at(node.tok, f"\\mathrm{{d}}{node.name}: {node.name} is not declared")
    directions = {}
    for symbol in scope.symbols.values():
        leaf = scope.lookup(symbol.name[1:], 0) if symbol.name.startswith("d") else None
        if leaf is not None and leaf.kind == SymbolKind.LEAF and symbol.kind == SymbolKind.LEAF and symbol.arity == 0:
            directions[leaf.key] = symbol
    if not directions:
        raise fail_at(node.tok, f"\\mathrm{{d}}{node.name} needs a declared direction, such as "
                                "\\mathrm{d}W \\in \\mathbb{R}^{D \\times K}")
    if not scope.depends_on(target.key, set(directions)):
        _refuse_no_direction(node, target, directions)
    context = evaluator.context
    if context.perturbed:
        raise fail_at(node.tok, "a differential inside a derivative is not supported")
    overrides = {}
    for key, direction in directions.items():
        base, step = context.value(key, node.tok), context.value(direction.key, node.tok)
        overrides[key] = Tensor(base.data + 1j * STEP * step.data, base.names, base.pos)
        evaluator.used |= {key, direction.key}
    value = context.perturbed_by(overrides).value(target.key, node.tok)
    evaluator.trace.merge(value.trace)
    evaluator.used.add(target.key)
    return Tensor(np.imag(value.data) / STEP, value.names, value.pos)
