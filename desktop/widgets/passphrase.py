"""Asking for a passphrase: to open an encrypted journal, or a new one (typed twice).

The desktop never prompts on a terminal; it asks here and passes ``passphrase=`` to the
service (``docs/sharing.md``). ``PassphraseDialog`` is a plain ``QDialog``, so tests can build
it, type into it and click ``ok_button`` without a blocking ``exec()``; ``ask_passphrase`` and
``ask_new_passphrase`` are the blocking entry points the window calls (and tests replace).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QFormLayout, QLineEdit, QWidget

from desktop.session import JournalError, check_new_passphrase
from desktop.widgets import parts
from desktop.widgets.form_dialog import FormDialog


class PassphraseDialog(FormDialog):
    """A masked passphrase field (and a second one to confirm a new passphrase)."""

    def __init__(self, parent: QWidget | None = None, *, title: str, prompt: str, error: str = "",
                 confirm: bool = False, ok_text: str = "Open") -> None:
        super().__init__(parent, title, name="passphrase_dialog", min_width=440, margins=(22, 20, 22, 18),
                         spacing=12)
        self.confirm = confirm
        self.prompt_label = parts.label(prompt, self, wrap=True)
        self.column.addWidget(self.prompt_label)
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        self.passphrase_edit = _masked(self, "passphrase_edit")
        self.passphrase_edit.setMinimumWidth(260)
        parts.add_field(form, "Passphrase", self.passphrase_edit, self)
        self.confirm_edit: QLineEdit | None = None
        if confirm:
            self.confirm_edit = _masked(self, "confirm_edit")
            parts.add_field(form, "Type it again", self.confirm_edit, self)
        self.column.addLayout(form)
        self.add_error_line("passphrase_error", error)
        if confirm:
            self.column.addWidget(parts.label("There is no way to recover a forgotten passphrase: keep it somewhere "
                                              "safe. Without it nobody can read the entries, not even you.", self,
                                              "hint", wrap=True))
        self.ok_button = self.add_buttons(ok_text, self._on_ok_button_clicked)
        self.passphrase_edit.setFocus()

    def passphrase(self) -> str:
        return self.passphrase_edit.text()

    def _on_ok_button_clicked(self) -> None:
        value = self.passphrase()
        try:
            check_new_passphrase(value)
        except JournalError:
            self.show_error("Type the passphrase." if not self.confirm else "The passphrase must not be empty.")
            return
        if self.confirm_edit is not None and self.confirm_edit.text() != value:
            self.show_error("The two passphrases differ; type them again.")
            self.confirm_edit.clear()
            return
        self.accept()


def _masked(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def ask_passphrase(parent: QWidget | None, prompt: str, error: str = "", *,
                   title: str = "Passphrase", ok_text: str = "Open") -> str | None:
    """The passphrase of an existing journal, or None when the person cancels."""
    return _answer(PassphraseDialog(parent, title=title, prompt=prompt, error=error, ok_text=ok_text))


def ask_new_passphrase(parent: QWidget | None, prompt: str, *, title: str = "Set passphrase",
                       ok_text: str = "Set passphrase") -> str | None:
    """A new passphrase typed twice, or None when the person cancels."""
    return _answer(PassphraseDialog(parent, title=title, prompt=prompt, confirm=True, ok_text=ok_text))


def _answer(dialog: PassphraseDialog) -> str | None:
    """What DIALOG was accepted with, or None when the person cancels."""
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.passphrase()
    finally:
        dialog.deleteLater()
