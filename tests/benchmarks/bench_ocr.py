"""OCR speed and accuracy on scanned 公文 pages rendered from known text (tests/scans.py).

    python -m tests.benchmarks.bench_ocr [--dpi 150 300] [--json]

Each page of the known documents in each variant (straight, turned 1.2°, turned and stamped)
is read as an uploaded PNG would be, in this process with the engine loaded once (its first
load is timed on its own). Prints seconds per page (median, and the slowest), character
accuracy weighted by page length, and the share of figures read exactly, per dpi; the CPU time
per page (all threads) as well, which does not grow when other work shares the cores. One upload
through the bounded parse worker (a fresh process that loads the engine) is timed as well.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from tests import scans


def _first_load() -> float:
    from assistant.ingest.ocr import engine

    started = time.perf_counter()
    engine("bench")
    return time.perf_counter() - started


def _through_the_worker(dpi: int) -> float:
    from assistant.uploads.reading import ReadBounds, read_upload

    _, image = scans.pages(dpi)[0]
    data = scans.png(image)
    started = time.perf_counter()
    read_upload(data, "scan.png", "png", proposals=False, bounds=ReadBounds())
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, nargs="+", default=[150, 300])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not (scans.FONT_DIR / scans.SERIF).exists():
        raise SystemExit(f"needs {scans.FONT_DIR / scans.SERIF} (fonts-noto-cjk)")
    result: dict[str, object] = {"engine_load_s": round(_first_load(), 3)}
    for dpi in args.dpi:
        rows = scans.measure(dpi)
        seconds = [r.seconds for r in rows]
        accuracy, figures = scans.overall(rows)
        result[f"{dpi}dpi"] = {
            "pages": len(rows),
            "median_s_per_page": round(statistics.median(seconds), 2),
            "max_s_per_page": round(max(seconds), 2),
            "median_cpu_s_per_page": round(statistics.median(r.cpu_seconds for r in rows), 2),
            "char_accuracy": round(accuracy, 4),
            "figures_exact": round(figures, 4),
            "by_variant": {
                v: round(statistics.median(r.seconds for r in rows if r.variant == v), 2)
                for v in scans.VARIANTS
            },
        }
    result["upload_through_worker_s"] = round(_through_the_worker(args.dpi[0]), 2)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    print(f"engine first load: {result['engine_load_s']} s")
    for dpi in args.dpi:
        r = result[f"{dpi}dpi"]
        assert isinstance(r, dict)
        print(
            f"{dpi} dpi: {r['median_s_per_page']} s/page median (max {r['max_s_per_page']}; "
            f"CPU {r['median_cpu_s_per_page']} s/page) "
            f"over {r['pages']} pages; characters {r['char_accuracy']}, "
            f"figures exact {r['figures_exact']}; by variant {r['by_variant']}"
        )
    print(f"one page uploaded through the parse worker: {result['upload_through_worker_s']} s")


if __name__ == "__main__":
    main()
