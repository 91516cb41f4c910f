"""``when`` conditions of template steps: a tiny expression language, parsed here, never eval'd.

Grammar::

    expr    := and ("or" and)*
    and     := unary ("and" unary)*
    unary   := "not" unary | "(" expr ")" | compare
    compare := path [op literal]           op: == != > >= < <=
    literal := "text" | 'text' | number

``path`` is a model field path (``answers.funds.has_carried_over``, ``funds.carried_over``,
``year``); an unknown path is a parse error. A bare path is true when the field holds something: a non-empty text or list, a
non-zero number. A comparison with an unset field is false. Text compares with ``==`` / ``!=``
only; numbers with every operator.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from prompts.fields import get_field, is_known_field
from report.model import Report


class ConditionError(ValueError):
    """A condition that cannot be parsed; the message (Chinese) says where and why."""


@dataclass(frozen=True)
class FieldRef:
    """A bare path: true when the field holds something."""

    path: str

    def evaluate(self, report: Report) -> bool:
        """Whether the field is filled in (non-empty, non-zero)."""
        value = get_field(report, self.path)
        if value is None:
            return False
        if isinstance(value, str | list):
            return bool(value.strip() if isinstance(value, str) else value)
        if isinstance(value, Decimal | int):
            return value != 0
        return True


@dataclass(frozen=True)
class Compare:
    """``path op literal``."""

    path: str
    op: str
    literal: str | Decimal

    def evaluate(self, report: Report) -> bool:
        """Compare the field's value with the literal; false when the field is unset."""
        value = get_field(report, self.path)
        if value is None or value == "":
            return False
        if isinstance(self.literal, str):
            text = value.value if isinstance(value, Enum) else str(value)
            return (text == self.literal) == (self.op == "==")
        number = _as_number(value)
        if number is None:
            return False
        return _COMPARE[self.op](number, self.literal)


@dataclass(frozen=True)
class Not:
    """``not operand``."""

    operand: Condition

    def evaluate(self, report: Report) -> bool:
        """The negation of the operand."""
        return not self.operand.evaluate(report)


@dataclass(frozen=True)
class AllOf:
    """``a and b and …``."""

    operands: tuple[Condition, ...]

    def evaluate(self, report: Report) -> bool:
        """True when every operand is true."""
        return all(operand.evaluate(report) for operand in self.operands)


@dataclass(frozen=True)
class AnyOf:
    """``a or b or …``."""

    operands: tuple[Condition, ...]

    def evaluate(self, report: Report) -> bool:
        """True when any operand is true."""
        return any(operand.evaluate(report) for operand in self.operands)


Condition = FieldRef | Compare | Not | AllOf | AnyOf

_COMPARE: dict[str, Callable[[Decimal, Decimal], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}

_TOKEN_RE = re.compile(
    r"""\s*(?:
        (?P<string>"[^"]*"|'[^']*')
      | (?P<number>-?\d+(?:\.\d+)?)
      | (?P<op>==|!=|>=|<=|>|<)
      | (?P<paren>[()])
      | (?P<name>[A-Za-z_][A-Za-z0-9_.]*)
    )""",
    re.VERBOSE,
)
_KEYWORDS = frozenset({"and", "or", "not"})


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str


def _tokenise(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    stripped_end = len(text.rstrip())
    while position < stripped_end:
        match = _TOKEN_RE.match(text, position)
        if match is None or match.end() == position:
            raise ConditionError(f"第 {position + 1} 个字符起无法识别：“{text[position:].strip()}”")
        kind = match.lastgroup or ""
        value = match.group(kind)
        if kind == "name" and value in _KEYWORDS:
            kind = "keyword"
        tokens.append(_Token(kind, value))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokenise(text)
        self.position = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise ConditionError("条件不完整，结尾缺少内容")
        self.position += 1
        return token

    def parse(self) -> Condition:
        if not self.tokens:
            raise ConditionError("条件为空")
        condition = self.parse_or()
        leftover = self.peek()
        if leftover is not None:
            raise ConditionError(f"多余的内容：“{leftover.text}”")
        return condition

    def parse_or(self) -> Condition:
        operands = [self.parse_and()]
        while self._at_keyword("or"):
            self.position += 1
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else AnyOf(tuple(operands))

    def parse_and(self) -> Condition:
        operands = [self.parse_unary()]
        while self._at_keyword("and"):
            self.position += 1
            operands.append(self.parse_unary())
        return operands[0] if len(operands) == 1 else AllOf(tuple(operands))

    def parse_unary(self) -> Condition:
        token = self.take()
        if token.kind == "keyword" and token.text == "not":
            return Not(self.parse_unary())
        if token.kind == "paren" and token.text == "(":
            inner = self.parse_or()
            closing = self.take()
            if closing.text != ")":
                raise ConditionError(f"缺少右括号，却遇到“{closing.text}”")
            return inner
        if token.kind != "name":
            raise ConditionError(f"这里应是字段名，却遇到“{token.text}”")
        if not is_known_field(token.text):
            raise ConditionError(f"不存在的字段“{token.text}”")
        following = self.peek()
        if following is None or following.kind != "op":
            return FieldRef(token.text)
        self.position += 1
        literal_token = self.take()
        literal = _literal(literal_token)
        if isinstance(literal, str) and following.text not in ("==", "!="):
            raise ConditionError(f"文字只能用 == 或 != 比较，不能用“{following.text}”")
        return Compare(token.text, following.text, literal)

    def _at_keyword(self, word: str) -> bool:
        token = self.peek()
        return token is not None and token.kind == "keyword" and token.text == word


def _literal(token: _Token) -> str | Decimal:
    if token.kind == "string":
        return token.text[1:-1]
    if token.kind == "number":
        return Decimal(token.text)
    raise ConditionError(f'比较符号后应是 "文字" 或数字，却遇到“{token.text}”')


def _as_number(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, Decimal | int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            return Decimal(value.strip())
        except InvalidOperation:
            return None
    return None


def parse_condition(text: str) -> Condition:
    """Parse a ``when`` expression; raises ``ConditionError`` naming the problem."""
    return _Parser(text).parse()


def referenced_paths(condition: Condition) -> frozenset[str]:
    """Every field path a condition reads."""
    if isinstance(condition, FieldRef | Compare):
        return frozenset({condition.path})
    if isinstance(condition, Not):
        return referenced_paths(condition.operand)
    return frozenset().union(*(referenced_paths(operand) for operand in condition.operands))
