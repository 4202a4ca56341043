"""``python -m apir_codegen``: the same as the ``apir-codegen`` command."""

from .cli import run

if __name__ == "__main__":
    run()
