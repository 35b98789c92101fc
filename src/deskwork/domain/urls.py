"""Links as the user means them: tracking parameters (utm_*, fbclid, gclid…) removed, everything
else kept as written (order, encoding, fragment)."""

from __future__ import annotations

import re
from urllib.parse import unquote_plus, urlsplit, urlunsplit

TRACKING = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "gclsrc", "msclkid", "yclid", "twclid",
        "ttclid", "li_fat_id", "igshid", "igsh", "mc_cid", "mc_eid", "_hsenc", "_hsmi",
        "mkt_tok", "vero_id", "vero_conv", "oly_anon_id", "oly_enc_id", "rb_clickid", "s_cid",
        "wickedid", "ref_src", "ref_url",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
# parameters that are tracking only on some sites (elsewhere they may mean something)
TRACKING_BY_HOST = {
    "youtube.com": {"si", "pp", "feature"},
    "youtu.be": {"si", "feature"},
    "open.spotify.com": {"si"},
    "twitter.com": {"s", "t"},
    "x.com": {"s", "t"},
    "linkedin.com": {"trk", "trackingid", "lipi"},
    "amazon.com": {"ref", "ref_", "pf_rd_p", "pf_rd_r", "pd_rd_r", "pd_rd_w", "pd_rd_wg"},
}


def _is_tracking(name: str, host: str) -> bool:
    key = unquote_plus(name).strip().lower()
    if key in TRACKING or key.startswith(TRACKING_PREFIXES):
        return True
    for site, names in TRACKING_BY_HOST.items():
        if (host == site or host.endswith("." + site)) and key in names:
            return True
    return False


def strip_tracking(url: str) -> str:
    """`url` without its tracking parameters (unchanged when it has none or is not a URL)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.query or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return url
    host = (parts.hostname or "").lower()
    kept = [p for p in parts.query.split("&") if p and not _is_tracking(p.split("=", 1)[0], host)]
    query = "&".join(kept)
    if query == parts.query:
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


_URL = re.compile(r"https?://[^\s<>\"']+", re.I)


def strip_tracking_in(text: str) -> str:
    """Every link inside `text` (a title, a note) without its tracking parameters."""
    return _URL.sub(lambda m: strip_tracking(m.group(0)), text)
