"""The long fuzzing run: every parser property of ``tests/robustness/properties.py``, many inputs each.

The test suite runs the same properties with a few hundred inputs; this runs as many as asked
and prints, per parser, how many inputs ran, how long it took and what it found::

    .venv/bin/python -m benchmarks.fuzz --inputs 200000            # every parser
    .venv/bin/python -m benchmarks.fuzz --inputs 5000 --only parse_money flow_answer
    .venv/bin/python -m benchmarks.fuzz --list

``--inputs`` is per parser. A failure is shrunk to its smallest form and printed with the
hypothesis reproduction line; the run goes on with the next parser and exits 1 at the end.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
from dataclasses import dataclass

from hypothesis import HealthCheck, Phase, given, seed, settings

from tests.robustness.properties import PROPERTIES, Property


@dataclass
class Outcome:
    """What fuzzing one parser gave: inputs tried, seconds, and the failure found (if any)."""

    name: str
    inputs: int
    seconds: float
    failure: str = ""


def fuzz(prop: Property, inputs: int, chosen_seed: int | None) -> Outcome:
    """Run one property on up to ``inputs`` generated inputs (hypothesis may stop early when it has seen them all)."""
    count = 0

    def check(args: tuple[object, ...]) -> None:
        nonlocal count
        count += 1
        prop.check(*args)

    test = settings(
        max_examples=inputs,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.generate, Phase.target, Phase.shrink],
        print_blob=True,
    )(given(prop.strategy)(check))
    if chosen_seed is not None:
        test = seed(chosen_seed)(test)
    started = time.perf_counter()
    failure = ""
    try:
        test()
    except Exception as error:  # a property failed: report it, go on with the next parser
        failure = "".join(traceback.format_exception_only(error)).strip() or type(error).__name__
        traceback.print_exc()
    return Outcome(prop.name, count, time.perf_counter() - started, failure)


def main(argv: list[str] | None = None) -> int:
    """Fuzz the chosen parsers and print a table of inputs per parser; exit 1 if anything was found."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fuzz", description=__doc__.splitlines()[0])
    parser.add_argument("--inputs", type=int, default=20_000, help="inputs per parser (default 20000)")
    parser.add_argument("--only", nargs="+", choices=sorted(PROPERTIES), help="fuzz only these parsers")
    parser.add_argument("--seed", type=int, help="a fixed seed, to repeat a run")
    parser.add_argument("--list", action="store_true", help="list the parsers and exit")
    args = parser.parse_args(argv)
    if args.list:
        for name, prop in PROPERTIES.items():
            print(f"{name:28} {(prop.check.__doc__ or '').strip().splitlines()[0]}")
        return 0
    names = args.only or list(PROPERTIES)
    outcomes = []
    for name in names:
        outcome = fuzz(PROPERTIES[name], args.inputs, args.seed)
        verdict = "ok" if not outcome.failure else "FOUND: " + outcome.failure.splitlines()[0][:100]
        print(f"{name:28} {outcome.inputs:>9} inputs {outcome.seconds:8.1f} s  {verdict}", flush=True)
        outcomes.append(outcome)
    total = sum(o.inputs for o in outcomes)
    found = [o for o in outcomes if o.failure]
    print(f"{'total':28} {total:>9} inputs {sum(o.seconds for o in outcomes):8.1f} s  {len(found)} found")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
