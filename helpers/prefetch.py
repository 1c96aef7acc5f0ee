"""Download every dataset the course uses into the data folder, so the course then runs offline.

    python -m helpers.prefetch                       # download what is missing (needs internet)
    python -m helpers.prefetch --from /media/usb     # copy NAME.npz files from a folder (a classroom cache)

Downloads go through ``keras.datasets`` (which shows a progress bar and checks the sha256 of the MNIST and CIFAR-10
archives it fetches); every saved or copied file is then read back and validated like the loaders do (arrays,
shapes, dtype, label range, complete size, and the sha256 of files whose content the course knows).
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

from helpers.datasets import SPECS, DatasetError, _download, read_dataset_file
from helpers.paths import data_dirs, display_path


def prefetch(source_dir: Path | None = None, names: list[str] | None = None) -> dict[str, str]:
    """Make the complete file of each dataset present in the first data folder; return a status per dataset."""
    if source_dir is not None and not Path(source_dir).is_dir():
        raise NotADirectoryError(f"{display_path(source_dir)} is not a folder of dataset files.")
    target_dir = data_dirs()[0]
    if target_dir.exists() and not target_dir.is_dir():
        raise NotADirectoryError(f"The data folder {display_path(target_dir)} is a file; it must be a folder.")
    target_dir.mkdir(parents=True, exist_ok=True)
    results = {}
    chosen = names or list(SPECS)
    unknown = [name for name in chosen if name not in SPECS]
    if unknown:
        raise ValueError(f"Unknown dataset(s) {', '.join(unknown)}; choose from {', '.join(SPECS)}.")
    for number, name in enumerate(chosen, start=1):
        spec = SPECS[name]
        target = target_dir / f"{name}.npz"
        print(f"[{number}/{len(chosen)}] {spec.title}: ", end="", flush=True)
        try:
            if target.is_file():
                read_dataset_file(target, spec)
                results[name] = "already here"
            elif source_dir is not None:
                source = Path(source_dir) / f"{name}.npz"
                read_dataset_file(source, spec)  # validate before copying
                partial = target.with_name(target.name + ".partial")
                shutil.copyfile(source, partial)
                partial.replace(target)
                read_dataset_file(target, spec)
                results[name] = f"copied from {display_path(source)}"
            else:
                print("downloading", flush=True)
                _download(spec)
                read_dataset_file(target, spec)
                results[name] = "downloaded"
        except (DatasetError, OSError) as error:
            results[name] = f"FAILED: {error}"
        except Exception as error:  # keras raises bare Exceptions on network failures
            results[name] = f"FAILED: the download did not work ({type(error).__name__}: {error})"
        print(results[name], flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="source_dir", type=Path, help="copy NAME.npz files from this folder")
    parser.add_argument("datasets", nargs="*", help=f"only these, of {', '.join(SPECS)} (default: all)")
    args = parser.parse_args(argv)
    try:
        results = prefetch(args.source_dir, args.datasets or None)
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    failed = [name for name, status in results.items() if status.startswith("FAILED")]
    print(f"Data folder: {display_path(data_dirs()[0])}. "
          + (f"Not ready: {', '.join(failed)}." if failed else "Every dataset of the course is here."))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
