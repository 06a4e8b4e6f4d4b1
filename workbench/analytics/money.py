"""Money kept per currency: adding euros to dollars keeps two sums, never one number."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal


class Money:
    """A sum of amounts by ISO currency code (a mutable accumulator; compare with ``==``).

    There is deliberately no way to get "the total" of several currencies: converting needs a rate
    and a date, which results do not have. Reports show the workbench's currency and name the rest.
    """

    __slots__ = ("_amounts",)

    def __init__(self, amounts: Mapping[str, Decimal] | None = None) -> None:
        self._amounts: dict[str, Decimal] = {}
        for currency, amount in (amounts or {}).items():
            self.add(currency, amount)

    def add(self, currency: str, amount: Decimal) -> None:
        """Add ``amount`` to the sum in ``currency`` (a zero amount changes nothing)."""
        if not amount:
            return
        if not currency:
            raise ValueError("an amount of money needs its currency")
        self._amounts[currency] = self._amounts.get(currency, Decimal(0)) + amount

    def merge(self, other: Money) -> None:
        """Add every currency's sum of ``other`` to this one's."""
        for currency, amount in other.items():
            self.add(currency, amount)

    def amount(self, currency: str) -> Decimal:
        """The sum in ``currency`` (zero when there is none)."""
        return self._amounts.get(currency, Decimal(0))

    def currencies(self) -> tuple[str, ...]:
        """The currencies with a non-zero sum, sorted."""
        return tuple(sorted(c for c, a in self._amounts.items() if a))

    def items(self) -> Iterator[tuple[str, Decimal]]:
        """``(currency, sum)`` pairs, sorted by currency, zero sums left out."""
        return iter([(c, self._amounts[c]) for c in self.currencies()])

    def per(self, count: int | Decimal) -> dict[str, Decimal]:
        """Each currency's sum divided by ``count`` (cost per won deal); empty when ``count`` is 0."""
        if not count:
            return {}
        return {c: a / Decimal(count) for c, a in self.items()}

    def __bool__(self) -> bool:
        return bool(self.currencies())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Money) and dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        return "Money(" + ", ".join(f"{c} {a}" for c, a in self.items()) + ")"
