"""The review and kept-proposal commands: accept or reject hunks; retry, show, discard.

Thin handlers: each reads its argument and calls `review`, `delivery` or the
server's stores. `create_server` registers them with `register`; this module
imports the server class at run time because pygls reads each handler's type
hints to structure its argument.
"""

from __future__ import annotations

from trae_lsp.errors import TraeError
from trae_lsp.server import delivery, proposals, review
from trae_lsp.server.review import DocumentRef, HunkRef, UnknownHunkError
from trae_lsp.server.runs import project_root
from trae_lsp.server.server import TraeServer


async def accept_hunk(ls: TraeServer, ref: HunkRef) -> None:
    """`trae.acceptHunk`: apply one pending hunk."""
    try:
        edit = ls.reviews.require(ref.uri).accept(ref.hunk_id, ls.encoding)
    except UnknownHunkError as e:
        ls.show_warning(str(e))
        return
    await ls.apply_review_edit(ref.uri, edit)


def reject_hunk(ls: TraeServer, ref: HunkRef) -> None:
    """`trae.rejectHunk`: drop one pending hunk."""
    try:
        ls.reviews.require(ref.uri).reject(ref.hunk_id)
    except UnknownHunkError as e:
        ls.show_warning(str(e))
    ls.publish_review(ref.uri)


async def accept_all(ls: TraeServer, ref: DocumentRef) -> None:
    """`trae.acceptAll`: apply every pending hunk of a document."""
    pending = ls.reviews.get(ref.uri)
    await ls.apply_review_edit(ref.uri, pending.accept_all(ls.encoding) if pending else None)


def reject_all(ls: TraeServer, ref: DocumentRef) -> None:
    """`trae.rejectAll`: drop every pending hunk of a document."""
    pending = ls.reviews.get(ref.uri)
    if pending is not None:
        pending.reject_all()
    ls.publish_review(ref.uri)


async def retry_proposal(ls: TraeServer, ref: DocumentRef) -> dict[str, object]:
    """`trae.retryProposal`: deliver a kept proposal against the current text."""
    try:
        return (await delivery.retry_proposal(ls, ref.uri)).as_json()
    except TraeError as e:
        ls.show_warning(str(e))
        return delivery.Delivery(False, [], []).as_json()


async def show_proposal(ls: TraeServer, ref: DocumentRef) -> bool:
    """`trae.showProposal`: open a kept proposal's text in the editor."""
    return await delivery.show_proposal(ls, ref.uri, project_root(ls, ref.uri))


def discard_proposal(ls: TraeServer, ref: DocumentRef) -> bool:
    """`trae.discardProposal`: forget a kept proposal."""
    return ls.proposals.take(ref.uri) is not None


def register(server: TraeServer) -> None:
    """Register every review and kept-proposal command on `server`."""
    server.command(review.ACCEPT_HUNK)(accept_hunk)
    server.command(review.REJECT_HUNK)(reject_hunk)
    server.command(review.ACCEPT_ALL)(accept_all)
    server.command(review.REJECT_ALL)(reject_all)
    server.command(proposals.RETRY_PROPOSAL)(retry_proposal)
    server.command(proposals.SHOW_PROPOSAL)(show_proposal)
    server.command(proposals.DISCARD_PROPOSAL)(discard_proposal)
