"""The templates of records' ``__init__``, one per number of fields (see :mod:`.records`).

Written out rather than compiled at run time, so that they load from bytecode
with this module.  Made by ``records.template_source``; ``tests/test_records.py``
checks that they are what it makes.
"""

from __future__ import annotations

from .records import set_field


def init0(self) -> None:
    pass


def init1(self, f0) -> None:
    set_field(self, "f0", f0)


def init2(self, f0, f1) -> None:
    set_field(self, "f0", f0)
    set_field(self, "f1", f1)


def init3(self, f0, f1, f2) -> None:
    set_field(self, "f0", f0)
    set_field(self, "f1", f1)
    set_field(self, "f2", f2)


def init4(self, f0, f1, f2, f3) -> None:
    set_field(self, "f0", f0)
    set_field(self, "f1", f1)
    set_field(self, "f2", f2)
    set_field(self, "f3", f3)


def init5(self, f0, f1, f2, f3, f4) -> None:
    set_field(self, "f0", f0)
    set_field(self, "f1", f1)
    set_field(self, "f2", f2)
    set_field(self, "f3", f3)
    set_field(self, "f4", f4)


def init6(self, f0, f1, f2, f3, f4, f5) -> None:
    set_field(self, "f0", f0)
    set_field(self, "f1", f1)
    set_field(self, "f2", f2)
    set_field(self, "f3", f3)
    set_field(self, "f4", f4)
    set_field(self, "f5", f5)


def init7(self, f0, f1, f2, f3, f4, f5, f6) -> None:
    set_field(self, "f0", f0)
    set_field(self, "f1", f1)
    set_field(self, "f2", f2)
    set_field(self, "f3", f3)
    set_field(self, "f4", f4)
    set_field(self, "f5", f5)
    set_field(self, "f6", f6)


def init8(self, f0, f1, f2, f3, f4, f5, f6, f7) -> None:
    set_field(self, "f0", f0)
    set_field(self, "f1", f1)
    set_field(self, "f2", f2)
    set_field(self, "f3", f3)
    set_field(self, "f4", f4)
    set_field(self, "f5", f5)
    set_field(self, "f6", f6)
    set_field(self, "f7", f7)


def init9(self, f0, f1, f2, f3, f4, f5, f6, f7, f8) -> None:
    set_field(self, "f0", f0)
    set_field(self, "f1", f1)
    set_field(self, "f2", f2)
    set_field(self, "f3", f3)
    set_field(self, "f4", f4)
    set_field(self, "f5", f5)
    set_field(self, "f6", f6)
    set_field(self, "f7", f7)
    set_field(self, "f8", f8)


def init10(self, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9) -> None:
    set_field(self, "f0", f0)
    set_field(self, "f1", f1)
    set_field(self, "f2", f2)
    set_field(self, "f3", f3)
    set_field(self, "f4", f4)
    set_field(self, "f5", f5)
    set_field(self, "f6", f6)
    set_field(self, "f7", f7)
    set_field(self, "f8", f8)
    set_field(self, "f9", f9)


def init11(self, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10) -> None:
    set_field(self, "f0", f0)
    set_field(self, "f1", f1)
    set_field(self, "f2", f2)
    set_field(self, "f3", f3)
    set_field(self, "f4", f4)
    set_field(self, "f5", f5)
    set_field(self, "f6", f6)
    set_field(self, "f7", f7)
    set_field(self, "f8", f8)
    set_field(self, "f9", f9)
    set_field(self, "f10", f10)


def init12(self, f0, f1, f2, f3, f4, f5, f6, f7, f8, f9, f10, f11) -> None:
    set_field(self, "f0", f0)
    set_field(self, "f1", f1)
    set_field(self, "f2", f2)
    set_field(self, "f3", f3)
    set_field(self, "f4", f4)
    set_field(self, "f5", f5)
    set_field(self, "f6", f6)
    set_field(self, "f7", f7)
    set_field(self, "f8", f8)
    set_field(self, "f9", f9)
    set_field(self, "f10", f10)
    set_field(self, "f11", f11)
