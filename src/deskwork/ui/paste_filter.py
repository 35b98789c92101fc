"""Escape sequences inside a bracketed paste, taken out before Textual's input parser sees them.

A terminal sends a paste between `ESC [200~` and `ESC [201~`. Textual's parser collects the text in
between, except after an ESC: it then reads an escape sequence and, not knowing it, sends its
characters on as key presses (`ls` output with colours, a copied prompt with a window title). The
paste arrived scrambled (the keys first, the text after), escapes stayed as `^[31m`, a BEL became
Ctrl+G, an Enter in a form saved it, and a big paste of them froze the app for minutes.

`PasteFilter` sits between the terminal's bytes (decoded) and the parser: outside a paste it passes
everything on unchanged, at once; inside one it drops escape sequences (CSI, OSC / DCS / APC / PM /
SOS strings ended by BEL or ST, two-character ones) and control characters except tab, newline and
carriage return, so that the parser sees plain text up to the paste's end. Input may arrive cut
anywhere: the state carries over, and a possible start of the end marker is held back until the
next read decides it."""

from __future__ import annotations

import re

ESC = "\x1b"
PASTE_START = "\x1b[200~"
PASTE_END = "\x1b[201~"
KEPT_CONTROLS = "\t\n\r"
STRINGS = "]P^_X"  # OSC, DCS, PM, APC, SOS: text until BEL or ESC \
PLAIN_RUN = re.compile(r"[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]+")  # text kept as it is


def _kept(ch: str) -> bool:
    if ch in KEPT_CONTROLS:
        return True
    return not (ch < " " or ch == "\x7f" or "\x80" <= ch <= "\x9f")


class PasteFilter:
    def __init__(self) -> None:
        self.in_paste = False
        self._state = ""  # "" text, "esc" after ESC, "csi", "string", "string_esc"
        self._tail = ""  # the last characters passed on outside a paste (a start cut in two)
        self._held = ""  # inside a paste: an ESC that may begin the end marker

    def __call__(self, data: str) -> str:
        out: list[str] = []
        while data:
            if not self.in_paste:
                data = self._outside(data, out)
            else:
                data = self._inside(self._held + data, out)
        return "".join(out)

    def _outside(self, data: str, out: list[str]) -> str:
        """Pass `data` on up to and with a paste's start; what follows it (inside) is returned."""
        window = self._tail + data
        found = window.find(PASTE_START)
        if found < 0:
            out.append(data)
            self._tail = window[-(len(PASTE_START) - 1) :]
            return ""
        cut = found + len(PASTE_START) - len(self._tail)
        out.append(data[:cut])
        self._tail = ""
        self.in_paste, self._state, self._held = True, "", ""
        return data[cut:]

    def _inside(self, data: str, out: list[str]) -> str:
        """Plain text of a paste up to and with its end marker; what follows it is returned."""
        self._held = ""
        i, n = 0, len(data)
        state = self._state
        while i < n:
            ch = data[i]
            if ch == ESC:
                rest = data[i : i + len(PASTE_END)]
                if rest == PASTE_END:
                    out.append(PASTE_END)
                    self.in_paste, self._state = False, ""
                    return data[i + len(PASTE_END) :]
                if PASTE_END.startswith(rest):  # cut short: the next read decides
                    self._held = rest
                    self._state = state
                    return ""
                state = "string_esc" if state == "string" else "esc"
            elif state == "":
                run = PLAIN_RUN.match(data, i)
                if run is not None:
                    out.append(run.group())
                    i = run.end()
                    continue
                if _kept(ch):
                    out.append(ch)
            elif state == "esc":
                state = "csi" if ch == "[" else "string" if ch in STRINGS else ""
            elif state == "csi":
                if "\x40" <= ch <= "\x7e":
                    state = ""
            elif state == "string":
                if ch == "\x07":
                    state = ""
            elif state == "string_esc":  # ESC \ ends the string; another ESC x starts anew
                state = "" if ch == "\\" else "csi" if ch == "[" else ""
            i += 1
        self._state = state
        return ""
