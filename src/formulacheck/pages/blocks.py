"""Checking one block: declarations, definitions, claims (link by link), shapes and code ties.

A statement whose first relation is `\\in` or `> 0` and whose left side is a new name declares it;
`\\coloneqq` (or `:=`) defines its left side; `M = [m_1 \\cdots m_K]` with a known matrix M names its
columns (or rows); anything else is a claim, and each relation of the chain is checked on every
trial. Index letters get their ranges per statement (evaluation/indices.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..evaluation.compare import (check_finite, check_shape, compare, describe_shape, dim_size,
                                  shape_of_dims)
from ..errors import FormulaError, fail_at
from .definitions import (define_function, equals_definition, function_definition,
                          refuse_defined_power, state_code_name)
from ..evaluation.conventions import layout_hint, state_conventions
from .evidence import EvidenceLog
from .further_instances import InstanceDraws
from ..evaluation.evaluate import Context, Evaluator, family_value, used_in_own_definition
from ..evaluation.indices import LetterRanges, RangeFinder, is_index_letter, range_end, walk
from ..evaluation.letter_names import letter_subscript_name, refuse_scalar_letter_name
from ..limits import BRANCH_TRIAL_BASE
from ..evaluation.trace import DrawnFor
from ..evaluation.named_arrays import ShapeError, ensure_budget
from ..evaluation.rounding import compare_rounded, refuse_drawn_side
from ..evaluation.scope import DRAWN_KINDS, EULER, Symbol, SymbolKind, euler_is_no_symbol
from ..evaluation.size_expressions import size_names, size_value
from ..evaluation.tensors import refuse_partial_entry
from .tensor_shapes import claim_tensor_shape, tensor_row, whole_tensor_shape
from ..tex.code_names import is_code_name
from ..tex.shape_table import ShapeTable
from ..tex.shapes import SizeSum
from ..tex.structures import BinarySet, Interval
from ..tex.decimals import written_decimal
from ..tex.vocabulary import INEQUALITIES, ROUNDS_TO, tex_name
from ..tex.syntax import (Call, Differential, Dots, LabelSet, Matrix, Name, Node, Number, Product, RealSpace,
                     Subscripted, Transpose)

def index_upper(scope, letter, upper) -> int:
    """The upper end of a range written after a formula, `1 \\le i \\le H + 2P`."""
    return range_end(scope, upper, letter.text)


def real_space_shape(space: RealSpace) -> tuple:
    """The shape written after `\\in \\mathbb{R}`; `\\mathbb{R}^{}` (no shape) is an error."""
    if space.shape is None:
        raise fail_at(space.tok, "expected a shape after \\mathbb{R}^, as in "
                                 "\\mathbb{R}^{N \\times D}, or \\mathbb{R} alone for a scalar")
    return space.shape


@dataclass
class FormulaTie:
    """The value a `code:` marker is compared with: the block's first definition or claim,
    `values[trial]`, and the token of its relation (where a failed comparison is reported)."""

    tok: object
    values: dict = field(default_factory=dict)


@dataclass
class BlockOutcome:
    """What checking a block's statements found (also after one raised: what it found so far).

    `links` counts the relations checked, shape annotations included (`shape_checks` of them);
    `used` and `own` are symbol keys the block read and introduced; `shapes` the shapes its claims
    compared; `evidence` what each comparison saw (pages/evidence.py); `tie` the value a `code:`
    marker is compared with; `extra_trials`, `one_sided` and `drawn_for` (why the further
    instances were drawn, in `DrawnFor` order) come from branch-aware sampling.
    """

    links: int = 0
    declared: int = 0
    defined: int = 0
    used: set = field(default_factory=set)
    own: set = field(default_factory=set)
    shapes: list = field(default_factory=list)
    evidence: list = field(default_factory=list)
    shape_checks: int = 0
    tie: FormulaTie | None = None
    extra_trials: int = 0
    one_sided: list = field(default_factory=list)
    unusable_trials: int = 0
    drawn_for: list = field(default_factory=list)
    reads_random: bool = True  # whether what it read depends on a leaf or labels (`reads_drawn_value`)


class BlockChecker:
    """Runs the statements of one parsed block against a scope, for `trials` random instances;
    `run` returns what it found (a `BlockOutcome`)."""

    def __init__(self, scope, trials: int, source_of):
        self.scope = scope
        self.trials = trials
        self.source_of = source_of  # (start token, end token or None) -> source text
        self.links = 0
        self.declared = 0
        self.defined = 0
        self.used: set = set()
        self.own: set = set()
        self.tie: FormulaTie | None = None
        self.shapes: list = []  # what the claims compared, for the site's marks
        self.extra_trials = 0  # instances drawn beyond `trials`: for a branch, or an inequality
        self.unusable_trials = 0  # of those, instances that could not be evaluated (not used)
        self.one_sided: list = []  # branches still seen on one side only after BRANCH_TRIALS
        self.drawn_for: set = set()  # why instances beyond the trials were drawn (DrawnFor)
        self.evidence = EvidenceLog(scope)  # what each comparison saw, for the site's marks
        self.equals_defines = True  # `z = W x` with z new defines z; not in inline math
        self.from_equals: list = []  # left sides read as definitions from `=`, for the marks
        self.as_sizes: list = []  # left sides of size relations (names read as sizes), for the marks
        self.statement_end = None  # the separator after the statement being checked
        self.conventions = None  # the text of a convention: marker above the block
        self.bounds: list = []  # the index ranges written after the statement being checked
        self.statements: list = []  # the block's statements (a family's shape claim among them)
        self.range_claims: set = set()  # shape claims that gave a family its ranges (id of each)

    # -- helpers -------------------------------------------------------------------------------
    def context(self, trial: int) -> Context:
        return Context(self.scope, trial)

    def entry_sizes(self, symbol, node):
        """The sizes the subscripts of `node` run over: of a symbol's entry, or (`symbol` None) of
        an entry of an operator's value, `\\operatorname{softmax}(\\mathbf{o})_j`."""
        if symbol is None:
            value = Evaluator(self.context(0), self.ranges_for([node.operand])).eval(node.operand)
            free = [name for name in value.names if name != "@"]
            if free:
                example = ("\\operatorname{softmax}(F)_{ij}" if isinstance(node.operand, Call)
                           else "(X W)_{ij}")
                raise fail_at(node.tok, f"an entry of {node.base} whose value has the free index "
                                        f"{free[0]}; expected a whole value inside, as in {example}")
            return self.value_entry_sizes(node.base, value, node)
        if symbol.kind == SymbolKind.ALIAS:
            base = self.context(0).value(symbol.alias_of, node.tok)
            return [base.pos[symbol.alias_axis]]
        if symbol.arity:
            return [symbol.ranges[i] for i in symbol.indices]
        value = self.context(0).value(symbol.key, node.tok)
        if value.pos != ():
            refuse_partial_entry(symbol, value, node.tok, len(node.items))
        if len(value.pos) > 2:  # a tensor: one index per axis (evaluation/tensors.py)
            return list(value.pos)
        return self.value_entry_sizes(symbol.name, value, node)

    @staticmethod
    def value_entry_sizes(name: str, value, node) -> list:
        if value.pos == ():
            raise fail_at(node.tok, f"{name} is a scalar; it takes no index")
        if len(node.items) == 1 and value.pos[1] != 1:
            glued = getattr(node, "glued", None)
            hint = (f" ({name}_{node.text}{glued.text} is typeset as {name}_{node.text} "
                    f"{glued.text}: TeX takes one letter as a subscript without braces; expected "
                    f"{name}_{{{node.text}{glued.text}}})") if glued else ""
            if value.pos[0] == 1 and not hint:  # `(x^\\top W)_k`: a row, where a column takes one
                written = "(x^\\top W)" if name.startswith("the ") else name
                raise fail_at(node.tok, f"{name} is a row (1 x {value.pos[1]}), and one index reads "
                                        f"an entry of a column; expected the row's entry with two "
                                        f"indices, as in {written}_{{1{node.text}}}")
            raise fail_at(node.tok, f"{name} is a matrix; an entry needs two indices{hint}")
        return [value.pos[0]] if value.pos[1] == 1 and len(node.items) == 1 else list(value.pos)

    def ranges_for(self, nodes, letters=(), bounds=(), family: str | None = None) -> dict:
        """The ranges of the index letters of `nodes`; `letters` are used there (those of the
        family `family` a definition defines), `bounds` the ranges written after the formula
        (`\\text{for } 1 \\le i \\le H'`)."""
        named = (family, {letter.name for letter in letters}) if family else None
        finder = RangeFinder(self.scope, self.entry_sizes, named)
        firsts = {}
        for letter, upper, first in bounds:  # a range written, or a size from a shape claim
            size = upper if isinstance(upper, int) else index_upper(self.scope, letter, upper)
            finder.bind_written(letter, size, upper)
            if first > size:
                raise fail_at(letter, f"the range of {letter.text} written after the formula, "
                                      f"{first}..{size} with {self.scope.sizes_text()}, holds no "
                                      "value; expected a first value at most its end")
            if first > 1:  # `2 \\le t \\le T`: the letter's axis is 1..T, read from 2
                firsts[letter.text] = first
        for node in nodes:
            finder.visit(node)
        for letter in letters:
            finder.values.setdefault(letter.name, letter.tok)
        ranges = finder.finish()
        for name, first in firsts.items():
            ranges[name] -= first - 1
        return LetterRanges(ranges, firsts)

    def refuse_scalar_calls(self, node) -> None:
        """`\\sigma(z)` after `\\sigma \\in \\mathbb{R}` reads as a function applied to z; the
        grammar has no functions, and reading it as the product it also is would check a formula
        the reader does not see. A scalar symbol followed by `(` is an error unless `\\cdot`
        stands between them."""
        if isinstance(node, Product):
            for left, right in zip(node.factors, node.factors[1:]):
                if (isinstance(left, Name) and not left.parenthesized  # `(z)(1 - z)` is a product
                        and getattr(right, "open_paren", None) is not None
                        and right.open_paren.arg is None  # `\\alpha \\left( ... \\right)` is a product
                        and not getattr(right, "after_cdot", False) and self.is_scalar_symbol(left.name)):
                    shown = tex_name(left.name)
                    symbol = self.scope.lookup(left.name, 0)
                    raise fail_at(right.open_paren, f"{shown} is a scalar (line {symbol.line}), so "
                                  f"{shown}(...) reads as a function applied to what follows, which "
                                  "the grammar does not have; expected a product written "
                                  f"{shown} \\cdot (...), or the function's value defined as a new "
                                  "name, as in s \\coloneqq \\frac{1}{1 + e^{-z}}")
        for value in vars(node).values():
            for child in (value if isinstance(value, (list, tuple)) else [value]):
                if isinstance(child, tuple):
                    for item in child:
                        if isinstance(item, Node):
                            self.refuse_scalar_calls(item)
                elif isinstance(child, Node):
                    self.refuse_scalar_calls(child)

    def is_scalar_symbol(self, name: str) -> bool:
        symbol = self.scope.lookup(name, 0)
        if symbol is None or symbol.kind not in (SymbolKind.LEAF, SymbolKind.DEFINED):
            return False
        if symbol.kind == SymbolKind.LEAF:
            return symbol.shape == ()
        value = self.scope.trial_memo(0).get(symbol.key)
        return value is not None and value.pos == ()

    def evaluate(self, node, trial: int, ranges: dict):
        """The value of `node` on instance `trial`, with the trace of its evaluation."""
        if trial == 0:
            self.refuse_scalar_calls(node)
        evaluator = Evaluator(self.context(trial), ranges)
        value = replace(evaluator.eval(node), trace=evaluator.trace)
        self.took_in(evaluator, trial)
        return value

    def reads_any(self, wanted) -> bool:
        """Whether what the block evaluated depends on a symbol for which `wanted(symbol)`."""
        targets = {key for key, symbol in self.scope.symbols.items() if wanted(symbol)}
        return any(self.scope.depends_on(key, targets) for key in self.used)

    def reads_drawn_value(self) -> bool:
        """Whether what the block evaluated depends on a value an instance draws: a leaf or labels
        (a size or a number is the same on every instance)."""
        return self.reads_any(lambda symbol: symbol.kind in DRAWN_KINDS)

    def reads_scaled_leaf(self) -> bool:
        """Whether what the block evaluated depends on a leaf that an instance drawn for a branch
        scales (`scope.leaf_scale`: not a label, not a leaf with bounds of its own). Bounded leaves
        are only moved toward their ends, so their values, and the ties they give, stay exact."""
        return self.reads_any(lambda symbol: symbol.kind == SymbolKind.LEAF and not symbol.draw)

    def took_in(self, evaluator: Evaluator, trial: int) -> None:
        """What an evaluation read, and the shape annotations it met (`\\underbrace{A}_{N \\times
        K}`): each is checked, and counted once as a link."""
        self.used |= evaluator.used
        for node, value in evaluator.shape_checks:
            check_shape(value, node.shape, self.scope, node.tok, "shape annotation")
        if trial == 0:
            self.links += len(evaluator.shape_checks)
            self.evidence.shapes += len(evaluator.shape_checks)

    def remember_tie(self, trial: int, value, tok) -> None:
        """Keep the value of the block's first definition or claim for a `code:` marker."""
        if self.tie is None:
            self.tie = FormulaTie(tok)
        if self.tie.tok is tok:
            self.tie.values[trial] = value

    def outcome(self) -> BlockOutcome:
        return BlockOutcome(self.links, self.declared, self.defined, set(self.used), set(self.own),
                            list(self.shapes), self.evidence.links(), self.evidence.shapes,
                            self.tie, self.extra_trials, list(self.one_sided),
                            self.unusable_trials, [r for r in DrawnFor if r in self.drawn_for],
                            self.reads_drawn_value())

    # -- statements ----------------------------------------------------------------------------
    def run(self, statements) -> BlockOutcome:
        self.statements = statements
        if self.conventions is not None:
            state_conventions(self.scope, self.conventions, statements[0].tok if statements else None)
        for number, statement in enumerate(statements):
            try:
                self.statement(statement)
            except FormulaError as problem:
                if problem.kind == "failed":
                    problem.details += self.conditions_after(statements[number + 1:])
                raise
        return self.outcome()

    def conditions_after(self, statements) -> tuple:
        r"""What a failed claim's report adds for a relation after `\text{for }` or `\text{if }`
        later in the block (`\operatorname{sign}(r) = 1 \quad \text{for } r > 0`): it reads as
        the condition of the claim, which is checked for every value of its symbols instead."""
        return tuple(
            f"{self.source_of(chain.starts[0], chain.end)} after {chain.condition_words.text}"
            f"{{{chain.condition_words.arg}}} is a claim of its own, not a condition of "
            "the claim before it, which is checked for every value of its symbols; for a claim "
            "where it holds, declare a symbol with the condition on a line of its own (s > 0) and "
            "write the claim with it, or write the cases with \\begin{cases}"
            for chain in statements if getattr(chain, "condition_words", None) is not None)

    def statement(self, chain) -> None:
        if id(chain) in self.range_claims:  # read by the definition before it (claimed_axes)
            return
        if isinstance(chain, ShapeTable):
            self.shape_table(chain)
            return
        relations = chain.relations
        self.statement_end = chain.end  # where a quote of the last link stops
        self.bounds = chain.ranges  # `\quad \text{for } 1 \le i \le H'` after it
        if not relations:
            raise fail_at(chain.items[0].tok, "this formula states nothing: expected a relation "
                                              "(=, \\coloneqq, \\in, >), or mark the block "
                                              "<!-- unchecked: REASON -->")
        first = relations[0].text
        subject = chain.items[0]
        if self.scope.plan is not None and (chain.tok.line, chain.tok.col) in self.scope.plan.relations:
            self.size_relation(chain)  # `H' = 1 + \\frac{H + 2P - k_h}{S}` (evaluation/size_relations.py)
            return
        if is_code_name(subject) and self.scope.lookup(self.plain_name(subject) or "", 0) is None:
            if not (first == "\\coloneqq" or first == "=" and self.scope.code_gradient_loss is None):
                # once the convention is stated, `dW = X^\\top dF` and `dW \\in ...` are claims
                self.claims(chain.items, relations, chain.starts)
                return
            state_code_name(self, chain)  # `dW \\coloneqq \\frac{\\partial L}{\\partial W}`
            if first == "=":
                self.from_equals.append(subject)
            first = "\\coloneqq"
        if first == "\\in" and isinstance(subject, Name) and subject.name == EULER:
            raise euler_is_no_symbol(subject.tok)  # `e > 2` is a claim; `e \\in ...` declares
        if first in ("\\in", ">") and isinstance(subject, Name) and self.scope.is_size(subject.name):
            raise fail_at(subject.tok, f"{subject.name} is a size (it appears in a shape); sizes are "
                                       "not declared as symbols; expected another letter for the "
                                       "symbol or for the size")
        if first in ("\\in", ">") and self.is_new(subject):
            if len(relations) > 1:
                raise fail_at(relations[1], "a declaration is one relation; expected a separate "
                                            "statement")
            for name_node in chain.names + [subject]:
                self.declare(name_node, relations[0], chain.items[1])
            return
        if chain.names:
            raise fail_at(chain.names[0].tok, "a list of names can only be declared")
        head = function_definition(self, chain)  # `f(x, y) = x y` (pages/definitions.py)
        if head is not None:
            define_function(self, head, chain)
            return
        if first == "=" and equals_definition(self, chain):  # `z = W x`, z new: a definition
            self.from_equals.append(chain.items[0])
            first = "\\coloneqq"
        if first == "\\coloneqq":
            self.define(subject, chain.items[1], relations[0])
            self.claims(chain.items[1:], relations[1:], chain.starts[1:])
            return
        if first == "=" and isinstance(chain.items[1], Matrix) and any(
                isinstance(e, Dots) for row in chain.items[1].rows for e in row) and self.new_pieces(
                chain.items[1]):
            self.name_pieces(subject, chain.items[1])
            return
        self.claims(chain.items, relations, chain.starts)

    def size_relation(self, chain) -> None:
        """Check a size relation with the sizes planned for the scope: one checked link."""
        plan = self.scope.plan
        if plan.failure is not None:
            raise fail_at(chain.relations[0], plan.failure)
        left, right = (size_value(self.scope.sizes, side, "a size relation") for side in chain.items)
        if left != right:
            source = self.source_of(chain.starts[0], self.statement_end)
            raise fail_at(chain.relations[0], f"the size relation {source} does not hold: the left "
                                              f"side is {left}, the right side {right}, with "
                                              f"{self.scope.sizes_text()}", kind="failed")
        self.links += 1
        self.as_sizes.append(tex_name(self.plain_name(chain.items[0]) or chain.items[0].base))
        # the sizes it holds for, shown in the opened mark (the same on every instance)
        relation = chain.relations[0]
        for trial in range(self.trials):
            self.evidence.observe(relation, trial, float(left), float(right),
                                  "=", self.source_of(chain.starts[0], relation),
                                  self.source_of(chain.starts[1], self.statement_end))

    def shape_table(self, table: ShapeTable) -> None:
        """Evaluate every row of a shape table, on every trial, and compare its shape; each row
        is one checked link."""
        for row in table.rows:  # a tensor's row, `Y & N \\times C \\times H' \\times W'`
            if tensor_row(self, row):
                self.links += 1
        for trial in range(self.trials):
            for row in table.rows:
                if whole_tensor_shape(self, row.expression) is not None:
                    continue
                value = self.evaluate(row.expression, trial, self.ranges_for([row.expression]))
                source = self.source_of(row.first, row.after)
                free = [n for n in value.names if n != "@"]
                if free:
                    raise fail_at(row.tok, f"{source} has the free "
                                           f"ind{'ices' if len(free) > 1 else 'ex'} {', '.join(free)}: "
                                           "its shape could be that of one entry or of the whole "
                                           "family; expected a whole value such as P, not P_{ij}")
                check_shape(value, row.dims, self.scope, row.tok,
                            f"row {row.number} of the shape table, {source}")
                if trial == 0:
                    self.links += 1

    def is_new(self, node) -> bool:
        name = self.declared_name(node)
        if (name in (None, EULER) or self.scope.lookup(name, 0) is not None
                or self.scope.is_size(name)):
            return False
        # `M \in \mathbb{R}^{N \times K}` after the family `M_{ij}` claims the shape of its matrix;
        # a new random leaf M beside the family would silently mean other numbers.
        return not any(s.arity and s.kind != SymbolKind.ALIAS for s in self.scope.any_arity(name))

    def plain_name(self, node):
        if isinstance(node, Name):
            return node.name
        if isinstance(node, Differential):
            return "d" + node.name
        if isinstance(node, Subscripted) and not any(
                isinstance(i, Name) and is_index_letter(self.scope, i.name) for i in node.items):
            return f"{node.base}_{node.text}"
        return None

    def declared_name(self, node):
        """The name a declaration gives: also `W_x` of a new base (evaluation/letter_names.py)."""
        return self.plain_name(node) or letter_subscript_name(self.scope, node)

    def declare(self, node, relation, space) -> None:
        name = self.declared_name(node)
        if name is None:
            raise fail_at(node.tok, "expected a name to declare")
        if relation.text == ">":
            if not (isinstance(space, Number) and space.value == 0):
                raise fail_at(space.tok, "a scalar is declared positive with '> 0'")
            symbol = Symbol(name, 0, SymbolKind.LEAF, node.tok.line, (), positive=True)
        elif isinstance(space, LabelSet):
            upper = self.scope.size(space.upper)
            if space.power is None:
                symbol = Symbol(name, 0, SymbolKind.LABEL, node.tok.line, (), label_upper=upper)
            else:
                axes = space.power if isinstance(space.power, tuple) else (space.power,)
                shape = (*(self.scope.size(axis) for axis in axes), 1)[:2]  # labels in a column or grid
                symbol = Symbol(name, 0, SymbolKind.LABELS, node.tok.line, shape, label_upper=upper)
        elif isinstance(space, (BinarySet, Interval)):  # bounded data (tex/structures.py)
            symbol = self.bounded_leaf(name, node, space)
        elif isinstance(space, RealSpace):
            real_space_shape(space)
            symbol = Symbol(name, 0, SymbolKind.LEAF, node.tok.line, self.declared_shape(space))
        else:
            raise fail_at(space.tok, "expected a set after \\in")
        if letter_subscript_name(self.scope, node) == name:
            labels = space.upper if isinstance(space, LabelSet) else None
            refuse_scalar_letter_name(node, name, symbol.shape, labels)
        self.scope.add(symbol, node.tok)
        self.own.add(symbol.key)
        self.declared += 1

    def declared_shape(self, space) -> tuple:
        """The shape after `\\in` (`\\mathbb{R}^{N \\times D}`, `\\{0, 1\\}^{N}`), giving each
        new size its value."""
        for dim in space.shape:
            for factor in dim:
                # the names of a sum of sizes, `(H - k_h + 1)`, are sizes too
                names = size_names(factor.node) if isinstance(factor, SizeSum) else [factor]
                for name in (n for n in names if isinstance(n, str)):
                    if self.scope.any_arity(name):
                        raise fail_at(space.tok, f"{name} is a symbol; sizes, indices and "
                                                 "symbols never share a name; expected another "
                                                 "letter for the size")
                    self.scope.size(name)
        if len(space.shape) > 2:  # a tensor, N x C x H x W (evaluation/tensors.py)
            shape = tuple(shape_of_dims((dim,), self.scope, space.tok)[0] for dim in space.shape)
        else:
            shape = shape_of_dims(space.shape, self.scope, space.tok) if space.shape else ()
        try:
            ensure_budget(shape)
        except ShapeError as problem:
            raise fail_at(space.tok, str(problem)) from None
        return shape

    def bounded_leaf(self, name: str, node, space) -> Symbol:
        """A leaf of `\\{0, 1\\}^{N \\times K}` or `[0, 1]^{N}`: its shape, and how it is drawn."""
        shape = self.declared_shape(space)
        draw = ("binary",) if isinstance(space, BinarySet) else ("uniform", space.low, space.high)
        return Symbol(name, 0, SymbolKind.LEAF, node.tok.line, shape, draw=draw)

    def define(self, target, body, relation) -> None:
        name = self.plain_name(target)
        indices: tuple = ()
        if name is None:
            refuse_defined_power(self, target, "\\coloneqq")
            if not isinstance(target, Subscripted) or not all(
                    isinstance(i, Name) and is_index_letter(self.scope, i.name) for i in target.items):
                raise fail_at(target.tok, "the left of \\coloneqq must be a new name, or a family "
                                          "with index letters such as P_{ij}")
            name, indices = target.base, tuple(i.name for i in target.items)
            whole = self.scope.lookup(name, 0)
            if whole is not None and self.context(0).value(whole.key, target.tok).pos != ():
                raise fail_at(target.tok, f"{name} is already a matrix or vector (line {whole.line}), "
                                          f"so {name}_{{{target.text}}} already means its entries; "
                                          "expected a new name")
            if len(set(indices)) != len(indices):
                raise fail_at(target.tok, "an index letter repeats on the left of \\coloneqq")
        elif not isinstance(target, (Name, Subscripted, Differential)):
            raise fail_at(target.tok, "expected a name on the left of \\coloneqq")
        self.refuse_scalar_calls(body)
        if not indices:  # read on, a lowercase u in `u \\coloneqq u + 1` would be an index letter
            itself = next((node for node in walk(body)
                           if isinstance(node, Name) and node.name == name), None)
            if itself is not None:
                raise used_in_own_definition(itself.tok, name, target.tok.line)
        for letter, _, first in self.bounds:
            if first > 1:
                raise fail_at(letter, f"the range of {letter.text} after a definition starts at 1 "
                                      f"(its entries are numbered from 1); expected 1 \\le "
                                      f"{letter.text} \\le ..., with the formula shifted (x_{{"
                                      f"{letter.text}+1}} for x_{{{letter.text}}})")
        bounds = list(self.bounds) + (self.claimed_axes(name, target) if indices else [])
        ranges = self.ranges_for([body], target.items if indices else (), bounds,
                                 family=f"{tex_name(name)}_{{{target.text}}}" if indices else None)
        symbol = Symbol(name, len(indices), SymbolKind.DEFINED, target.tok.line, indices=indices,
                        body=body, ranges=ranges)
        self.scope.add(symbol, target.tok)
        self.own.add(symbol.key)
        self.defined += 1
        try:
            for trial in range(self.trials):
                evaluator = Evaluator(self.context(trial), ranges)
                value = replace(family_value(evaluator.eval(body), symbol, relation),
                                trace=evaluator.trace)
                check_finite(value, relation, f"the definition of {name}")
                symbol.deps |= evaluator.used
                self.took_in(evaluator, trial)
                self.scope.trial_memo(trial)[symbol.key] = value
                self.remember_tie(trial, value, relation)
        except Exception:
            self.scope.failed[symbol.key] = target.tok.line
            raise

    def claimed_axes(self, name: str, target) -> list:
        """The ranges of a family's letters from the claim of its shape later in the same block,
        `\\tilde{X} \\in \\mathbb{R}^{N \\times C \\times (H + 2P) \\times (W + 2P)}` after
        `\\tilde{X}_{n,c,h,w} \\coloneqq ...`: (letter token, size) pairs, one per axis."""
        for statement in self.statements:
            if (getattr(statement, "relations", None) and statement.relations[0].text == "\\in"
                    and len(statement.items) == 2 and isinstance(statement.items[0], Name)
                    and statement.items[0].name == name and isinstance(statement.items[1], RealSpace)
                    and len(statement.items[1].shape or ()) == len(target.items) > 2):
                space = statement.items[1]
                # the claim gives the ranges, so it cannot fail: part of the definition, no check
                self.range_claims.add(id(statement))
                return [(item.tok, dim_size(dim, self.scope, space.tok), 1)
                        for item, dim in zip(target.items, space.shape)]
        return []

    def new_pieces(self, matrix: Matrix) -> bool:
        """Whether `M = [m_1 \\cdots m_K]` names pieces: its first entry is a new name with a
        subscript. With known entries (`[x_{11} \\cdots x_{1N}]`) the matrix is a value, read by
        its corners (evaluation/corners.py), and the statement a claim."""
        first = matrix.rows[0][0]
        first = first.operand if isinstance(first, Transpose) else first
        return isinstance(first, Subscripted) and not self.scope.any_arity(first.base)

    def name_pieces(self, target, matrix: Matrix) -> None:
        """`W = [w_1 \\cdots w_K]` (columns) or `X = [x_1^T; \\vdots; x_N^T]` (rows)."""
        name = self.plain_name(target)
        symbol = self.scope.lookup(name, 0) if name else None
        if symbol is None:
            raise fail_at(target.tok, "named columns need a declared matrix on the left")
        value = self.context(0).value(symbol.key, target.tok)
        rows = matrix.rows
        if len(rows) == 1 and len(rows[0]) == 3:
            entries, axis = rows[0], 1
        elif all(len(r) == 1 for r in rows) and len(rows) == 3:
            entries, axis = [r[0] for r in rows], 0
        else:
            raise fail_at(matrix.tok, "expected [m_1 \\cdots m_K] or [m_1^\\top \\\\ \\vdots \\\\ "
                                      "m_N^\\top] to name columns or rows")
        first, dots, last = entries
        transposed = [isinstance(e, Transpose) for e in (first, last)]
        if transposed[0] != transposed[1] or not isinstance(dots, Dots):
            raise fail_at(matrix.tok, "the first and last pieces must be written alike, with "
                                      "\\cdots or \\vdots between them")
        first, last = [e.operand if isinstance(e, Transpose) else e for e in (first, last)]
        size = value.pos[axis] if value.pos else 0
        ok = (isinstance(first, Subscripted) and isinstance(last, Subscripted)
              and first.base == last.base and len(first.items) == len(last.items) == 1
              and isinstance(first.items[0], Number) and first.items[0].value == 1
              and isinstance(last.items[0], Name) and self.scope.sizes.get(last.items[0].name) == size)
        if not ok:
            raise fail_at(matrix.tok, f"expected pieces numbered from 1 to the size of that axis "
                                      f"({self.scope.size_name(size)})")
        if axis == 0 and not transposed[0] or axis == 1 and transposed[0]:
            raise fail_at(matrix.tok, "rows are written as transposed columns (x_1^\\top) and "
                                      "columns without a transpose; expected that layout")
        alias = Symbol(first.base, 1, SymbolKind.ALIAS, target.tok.line, indices=("%0",),
                       alias_of=symbol.key, alias_axis=axis)
        self.scope.add(alias, first.tok)
        self.own.add(alias.key)
        self.defined += 1

    def claims(self, items, relations, starts) -> None:
        """Check each relation of a chain on every trial (more while a branch was seen on one
        side only); `starts` are the first tokens of the items, to quote each side."""
        if not relations:
            return
        if claim_tensor_shape(self, items, relations):  # `E \in \mathbb{R}^{N \times T \times D}`
            return
        ranges = self.ranges_for([i for i in items if not isinstance(i, (RealSpace, LabelSet))],
                                 bounds=self.bounds)
        draws = InstanceDraws(self.trials, any(r.text in INEQUALITIES for r in relations))
        rounding_ties = False  # whether the further instances scale what the claim reads
        for trial in draws:
            further = trial >= BRANCH_TRIAL_BASE
            if trial == BRANCH_TRIAL_BASE:  # the first further instance: the trials read every symbol
                rounding_ties = self.reads_scaled_leaf()
            sides: dict = {}
            compared: dict = {}
            try:
                self.claims_once(items, relations, starts, ranges, trial, sides, compared,
                                 rounding_ties)
            except FormulaError as problem:
                if further and problem.kind == "error":
                    # NaN, infinity, a logarithm's domain, a tolerance that swamps the values, or
                    # the sides of a strict inequality equal to rounding, at a scale the trials did
                    # not use: the instance says nothing about the claim
                    draws.not_usable(problem, sides, trial)
                    continue
                if further:
                    problem.details += (draws.why_drawn(trial),)
                raise
            draws.used(sides, compared)
            if trial == self.trials - 1 and not self.reads_drawn_value():
                draws.nothing_varies()
        self.extra_trials = max(self.extra_trials, draws.further)
        self.unusable_trials = max(self.unusable_trials, draws.unusable)
        self.drawn_for |= draws.reasons
        self.one_sided += [b for b in draws.one_sided() if b not in self.one_sided]

    def claims_once(self, items, relations, starts, ranges, trial: int, seen: dict,
                    inputs: dict, rounding_ties: bool = False) -> None:
        total = len(relations)
        values = {}
        for k, item in enumerate(items):
            if not isinstance(item, (RealSpace, LabelSet)):
                values[k] = self.evaluate(item, trial, ranges)
                trace = values[k].trace
                for key, sides in trace.branches.items():
                    seen.setdefault(key, set()).update(sides)
                    inputs.setdefault(key, set()).update(trace.inputs.get(key, ()))
        if trial < self.trials:
            self.remember_tie(trial, values[0], relations[0])
        shape = describe_shape(values[0], self.scope) if trial == 0 else None
        if shape is not None and shape not in self.shapes:
            self.shapes.append(shape)
        for k, relation in enumerate(relations):
            heading = f"link {k + 1} of {total}" if total > 1 else "the claim"
            text = relation.text
            if text == "\\coloneqq":
                raise fail_at(relation, "\\coloneqq must be the first relation of a chain")
            if text == "\\in":
                space = items[k + 1]
                if not isinstance(space, RealSpace):
                    name = self.plain_name(items[k])
                    known = self.scope.lookup(name, 0) if name else None
                    where = f" (it is already declared at line {known.line})" if known else ""
                    raise fail_at(space.tok, f"a label set can only declare a new name{where}; "
                                             "expected a new name, or <!-- scope: NAME --> to "
                                             "start a new scope")
                real_space_shape(space)
                check_shape(values[k], space.shape or ((1,),), self.scope, relation,
                            f"{heading} (shape)") if space.shape else self.scalar(values[k], relation)
                self.evidence.shape(trial)
            elif text == ROUNDS_TO:
                after = relations[k + 1] if k + 1 < total else self.statement_end
                self.rounded(items[k:k + 2], (values[k], values[k + 1]), relation,
                             starts[k:k + 2], heading, trial, after)
            else:
                op = "=" if text == "=" else INEQUALITIES[text]
                after = relations[k + 1] if k + 1 < total else self.statement_end
                source = (f"{self.source_of(starts[k], relation)} {relation.text} "
                          f"{self.source_of(starts[k + 1], after)}")
                try:
                    compare(values[k], values[k + 1], relation, self.scope,
                            f"{heading}, {source.strip()},", trial, op, rounding_ties,
                            ranges.firsts)
                except FormulaError as problem:  # a transposed derivative: say what layout is used
                    problem.details += layout_hint(values[k], values[k + 1], self.scope,
                                                   items[k:k + 2])
                    raise
                self.evidence.observe(relation, trial, values[k], values[k + 1], text,
                                      self.source_of(starts[k], relation),
                                      self.source_of(starts[k + 1], after),
                                      firsts=ranges.firsts)
            if trial == 0:
                self.links += 1

    def rounded(self, sides, values, relation, starts, heading: str, trial: int, after) -> None:
        """A link `A \\approx 1.0986` (or `1.0986 \\approx A`): A, one number on every instance,
        rounds to the decimal at the digits written (evaluation/rounding.py)."""
        written, other = written_decimal(sides[1]), 0  # the parser made sure one side is a decimal
        if written is None:
            written, other = written_decimal(sides[0]), 1
        left_tex = self.source_of(starts[0], relation)
        right_tex = self.source_of(starts[1], after)
        where = f"{heading}, {left_tex} {relation.text} {right_tex},"
        if trial == 0:
            refuse_drawn_side(sides[other], self.scope, relation, where.rstrip(","))
        difference = compare_rounded(values[other], written, relation, self.scope, where, trial)
        self.evidence.observe(relation, trial, values[0], values[1], relation.text, left_tex,
                              right_tex, rounding=(difference, written.half_unit))

    def scalar(self, value, relation) -> None:
        if not value.is_scalar:
            raise fail_at(relation, f"the shape written is a scalar (\\mathbb{{R}}) but the value "
                                    f"is {value.pos[0]} x {value.pos[1]}", kind="failed")

