"""The grant story's fixtures (an application in peer review, its applicants, BJA and two reviewers)."""

from tests.grants.conftest import (  # noqa: F401
    _media,
    application,
    bh_admin,
    bh_org,
    bja,
    grant_manager,
    in_peer_review,
    reviewer,
    reviewer2,
    solicitation,
    submitted,
)
