"""The GraphQL documents the comparison sends, word for word: the raw endpoint recognises a
request by its document (as a persisted query would) and answers only these.

The candidates page (which bench/candidates_list.py sends too) is written here; the others are
read from graphql_examples/ (020 me, 030 organisationUsers, 440 signInCandidate, 450
candidateResults) without their comment lines, so that the benchmark sends what the documented
flows send.
"""

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parents[2] / "graphql_examples"


def _example(name: str) -> str:
    """An example's document without its `#` lines (its headers and comments)."""
    text = (EXAMPLES / name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    return "\n" + "\n".join(lines).strip() + "\n"


CANDIDATES = """
query($code: String!, $first: Int!) {
  candidates(centreCode: $code, first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id candidateNumber uci firstName lastName username
        entries {
          id entryCode status
          series { code }
          syllabus { code title }
          result { grade mark }
        }
      }
    }
  }
}
"""
ORGANISATION_USERS = _example("030_organisation_users.graphql")
ME = _example("020_me.graphql")
TYPENAME = "{ __typename }"
SIGN_IN_CANDIDATE = _example("440_sign_in_candidate.graphql")
CANDIDATE_RESULTS = _example("450_candidate_results.graphql")
