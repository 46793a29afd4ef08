# jaxify: skip-file
from decimal import Decimal
from fractions import Fraction


def trap_calls(module):
    money = [Decimal("0.10"), Decimal("0.20"), Decimal("1.05")]
    parts = [Fraction(1, 3), Fraction(1, 6), Fraction(1, 2)]
    return [
        ("ledger_total", (list(money),), {}),
        ("running_balance", (list(money),), {}),
        ("ledger_total", (list(parts),), {}),
        ("share", (list(parts),), {}),
    ]
