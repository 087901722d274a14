"""Benchmark: argon2id with the production parameters for N passwords, in one thread (as the
upload jobs hashed before the CPU pool) and in the CPU pool (resolvers/core/cpu.py, a process
per core, CHUNK passwords per call as the staff upload sends them), alternately R times, so that
the load of a busy machine falls on both alike. Not a test: nothing is asserted.

    .venv/bin/python bench/cpu_pool.py --passwords 400 --repeat 3
"""

import argparse
import asyncio
import time

from resolvers.core import cpu
from resolvers.identity.passwords import hash_passwords

CHUNK = 50


async def pooled(passwords: list[str]) -> None:
    chunks = [(passwords[i : i + CHUNK], False) for i in range(0, len(passwords), CHUNK)]
    await cpu.run_each(hash_passwords, chunks)


async def run(count: int, repeat: int) -> None:
    passwords = [f"Harbour-{i:05d}-Light" for i in range(count)]
    await cpu.run(hash_passwords, ["warm-up"], False)
    print(f"passwords={count} pool={cpu.cores()} processes")
    try:
        for _ in range(repeat):
            started = time.perf_counter()
            await asyncio.to_thread(hash_passwords, passwords, False)
            one = time.perf_counter() - started
            started = time.perf_counter()
            await pooled(passwords)
            pool = time.perf_counter() - started
            print(f"  one thread {one:7.2f} s   CPU pool {pool:7.2f} s   x{one / pool:.2f}")
    finally:
        await cpu.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passwords", type=int, default=400)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    asyncio.run(run(args.passwords, args.repeat))


if __name__ == "__main__":
    main()
