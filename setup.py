"""The optional C extension; everything else about the package is in pyproject.toml.

``transforms._hmac_native`` hashes a whole column's tokens with the processor's SHA
extensions (``transforms/keyed_hash.py``). It is optional: where no C compiler or
Python headers are at hand, the package installs without it and uses polars-hash.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "transforms._hmac_native",
            sources=["transforms/_hmac_native.c"],
            extra_compile_args=["-O3"],
            optional=True,
        )
    ]
)
