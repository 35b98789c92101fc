"""The only code that touches the network: arXiv's API and web pages' metadata (httpx).

Everything fetched is untrusted: sizes are capped, requests time out, XML is parsed with a defused
parser, and text comes back cleaned of terminal control sequences (the UI still shows it as plain
text, never as markup).
"""

from deskwork.sources.http import FetchPolicy, SourceError

__all__ = ["FetchPolicy", "SourceError"]
