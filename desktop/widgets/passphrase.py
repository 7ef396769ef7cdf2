"""Asking for a passphrase: to open an encrypted journal, or a new one (typed twice).

The desktop never prompts on a terminal; it asks here and passes ``passphrase=`` to the
service (``docs/sharing.md``). ``PassphraseDialog`` is a plain ``QDialog``, so tests can build
it, type into it and click ``ok_button`` without a blocking ``exec()``; ``ask_passphrase`` and
``ask_new_passphrase`` are the blocking entry points the window calls (and tests replace).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.session import JournalError, check_new_passphrase
from desktop.style import set_role


class PassphraseDialog(QDialog):
    """A masked passphrase field (and a second one to confirm a new passphrase)."""

    def __init__(self, parent: QWidget | None = None, *, title: str, prompt: str, error: str = "",
                 confirm: bool = False, ok_text: str = "Open") -> None:
        super().__init__(parent)
        self.setObjectName("passphrase_dialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.setMinimumWidth(440)
        self.confirm = confirm
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 18)
        layout.setSpacing(12)
        self.prompt_label = QLabel(prompt, self)
        self.prompt_label.setWordWrap(True)
        layout.addWidget(self.prompt_label)
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        self.passphrase_edit = QLineEdit(self)
        self.passphrase_edit.setObjectName("passphrase_edit")
        self.passphrase_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_edit.setMinimumWidth(260)
        form.addRow(set_role(QLabel("Passphrase", self), "fieldlabel"), self.passphrase_edit)
        self.confirm_edit: QLineEdit | None = None
        if confirm:
            self.confirm_edit = QLineEdit(self)
            self.confirm_edit.setObjectName("confirm_edit")
            self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
            form.addRow(set_role(QLabel("Type it again", self), "fieldlabel"), self.confirm_edit)
        layout.addLayout(form)
        self.error_label = set_role(QLabel(error, self), "error")
        self.error_label.setObjectName("passphrase_error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setVisible(bool(error))
        layout.addWidget(self.error_label)
        if confirm:
            hint = set_role(QLabel("There is no way to recover a forgotten passphrase: keep it somewhere "
                                   "safe. Without it nobody can read the entries, not even you.", self), "hint")
            hint.setWordWrap(True)
            layout.addWidget(hint)
        row = QHBoxLayout()
        row.addStretch(1)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancel_button")
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button = QPushButton(ok_text, self)
        self.ok_button.setObjectName("ok_button")
        self.ok_button.setProperty("kind", "primary")
        self.ok_button.setDefault(True)
        self.ok_button.clicked.connect(self._on_ok_button_clicked)
        row.addWidget(self.cancel_button)
        row.addWidget(self.ok_button)
        layout.addLayout(row)
        self.passphrase_edit.setFocus()

    def passphrase(self) -> str:
        return self.passphrase_edit.text()

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

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
