"""The GraphQL documents the comparison sends, word for word: the raw endpoint recognises a
request by its document (as a persisted query would) and answers only these.

Taken from bench/candidates_list.py (the candidates page) and graphql_examples/ (020 me, 030
organisationUsers, 440 signInCandidate, 450 candidateResults), without their comments.
"""

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
ORGANISATION_USERS = """
query OrganisationUsers(
  $organisationCode: String!
  $filter: OrganisationUserFilter
  $first: Int!
  $after: String
) {
  organisationUsers(
    organisationCode: $organisationCode
    filter: $filter
    first: $first
    after: $after
  ) {
    totalCount
    pageInfo {
      hasNextPage
      hasPreviousPage
      endCursor
    }
    edges {
      cursor
      node {
        user {
          id
          fullName
          email
          status
        }
        roles
        isExamsOfficer
      }
    }
  }
}
"""
ME = """
query Me {
  me {
    user {
      id
      fullName
      email
      status
      totpEnabled
    }
    grants {
      organisation {
        code
        name
        kind
      }
      roles
    }
    organisations {
      code
      name
      kind
      parent {
        code
      }
    }
  }
}
"""
TYPENAME = "{ __typename }"
SIGN_IN_CANDIDATE = """
mutation SignInCandidate($input: SignInCandidateInput!) {
  signInCandidate(input: $input) {
    token
    expiresAt
    errors {
      code
      message
    }
  }
}
"""
CANDIDATE_RESULTS = """
query CandidateResults {
  candidateResults {
    candidateNumber
    fullName
    centreName
    notice
    series {
      seriesCode
      availableFrom
      available
      results {
        syllabusCode
        syllabusTitle
        grade
      }
    }
  }
}
"""
