"""What pyproject.toml cannot declare: the shipped config's place in the wheel, and the C module.

The shipped YAML lives at the top of the checkout (``config/``); in a wheel it travels
inside the package as ``bot/_shipped_config`` so ``bot.resources`` finds it the same
way after a plain ``pip install .``.

``_warden_speedups`` (native/) runs the rule engine's clean-text test and its reading
of a post that names a term. It is optional: without a C compiler the install goes
on without it and ``bot.rules`` falls back to RE2 and Python, slower but with the
same answers. It is a top-level module rather than part of ``bot`` so that tests run
from a checkout, whose ``bot/`` shadows the installed one, still find the compiled
module in the environment.
"""

from setuptools import Extension, find_packages, setup

setup(
    packages=[*find_packages(include=["bot", "bot.*", "cogs", "cogs.*"]), "bot._shipped_config"],
    package_dir={"bot._shipped_config": "config"},
    package_data={"bot._shipped_config": ["*.yaml"], "bot.store.migrations": ["*.sql"]},
    ext_modules=[
        Extension(
            "_warden_speedups",
            sources=["native/module.c", "native/dfa.c", "native/key_finder.c", "native/spellings.c"],
            depends=["native/speedups.h", "native/spellings.h"],
            optional=True,
        ),
    ],
)
