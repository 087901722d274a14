"""The permission matrix, through the real app: actor x operation x target organisation.

MATRIX below is the one table of expectations; every cell of it runs as its own test against the
demo data, in the test module of the domain whose schema package serves the operation
(DOMAINS: test_network.py, test_people.py, test_admin.py, test_exams.py, test_test_sessions.py,
test_training.py, test_services.py). Allowed cells must answer with data and no errors (and, for
mutations, change the database as asked); forbidden cells must answer FORBIDDEN and leave the
database exactly as it was. How each operation is called and checked is in the *_calls.py modules
beside this one; the app the cells share is in world.py.
"""

from dataclasses import dataclass

# --- The actors -------------------------------------------------------------------------------

ACTORS: dict[str, str] = {
    "board": "admin@exb.example",
    "eo": "eo@aa101.example",
    "users": "users@aa101.example",
    "sfa_eo": "sfa.eo@aa101.example",
    "teacher": "teacher@aa101.example",
    "aa": "aa@aa101.example",
    "slt": "slt@aa101.example",
    "inv": "inv@aa101.example",
    "as_eo": "eo@as100.example",
    "as_users": "users@as100.example",
}
HOME = {"board": "EXB", "as_eo": "AS100", "as_users": "AS100"}


def target_code(actor: str, target: str) -> str:
    """The organisation a column means for an actor.

    own     - where the actor holds their roles (EXB for the board admin)
    assoc   - AS101, an associate centre of the associate AS100
    other   - BB202, a centre nobody in the table belongs to
    deleted - the actor's own organisation, soft-deleted for the cell (AA101 for the board
              admin: soft-deleting the board itself is not a thing the board does)
    """
    home = HOME.get(actor, "AA101")
    if target == "deleted":
        return "AA101" if actor == "board" else home
    return {"own": home, "assoc": "AS101", "other": "BB202"}[target]


# --- The matrix -------------------------------------------------------------------------------
#
# Y  allowed: data, no errors, and the change made
# F  FORBIDDEN GraphQL error, nothing changed
# D  payload error ORGANISATION_DELETED, nothing changed (nobody is added to a deleted one)
# I  payload error INVALID_INPUT, nothing changed (the exam board has no exams officer)
# C  error NOT_A_CENTRE (in the payload of a mutation, a GraphQL error of a query), nothing
#    changed: staff training is at centres, so is a test session's venue, and an associate or
#    the board is not one
# roles:    G readable and every role grantable except EXAMS_OFFICER and GLOBAL_LISTENING
#           R readable, nothing grantable
# services: the services `mayOpen` says yes to (SFA, AA, UM, GL), or "none"
# Managing resources and help documents is the board's, whichever organisation the column
# names; helpDocuments is any member's (the column's organisation is not asked), as long as
# the organisation they belong to is not deleted.

MATRIX = """
operation              actor     own           assoc      other  deleted
organisations          board     Y             Y          Y      Y
organisations          eo        F             F          F      F
organisations          users     F             F          F      F
organisations          sfa_eo    F             F          F      F
organisations          teacher   F             F          F      F
organisations          aa        F             F          F      F
organisations          slt       F             F          F      F
organisations          inv       F             F          F      F
organisations          as_eo     F             F          F      F
organisations          as_users  F             F          F      F

organisation           board     Y             Y          Y      Y
organisation           eo        Y             F          F      F
organisation           users     Y             F          F      F
organisation           sfa_eo    Y             F          F      F
organisation           teacher   Y             F          F      F
organisation           aa        Y             F          F      F
organisation           slt       Y             F          F      F
organisation           inv       Y             F          F      F
organisation           as_eo     Y             Y          F      F
organisation           as_users  Y             Y          F      F

organisationUsers      board     Y             Y          Y      Y
organisationUsers      eo        Y             F          F      F
organisationUsers      users     Y             F          F      F
organisationUsers      sfa_eo    F             F          F      F
organisationUsers      teacher   F             F          F      F
organisationUsers      aa        F             F          F      F
organisationUsers      slt       F             F          F      F
organisationUsers      inv       F             F          F      F
organisationUsers      as_eo     Y             Y          F      F
organisationUsers      as_users  Y             Y          F      F

organisationUser       board     Y             Y          Y      Y
organisationUser       eo        Y             F          F      F
organisationUser       users     Y             F          F      F
organisationUser       sfa_eo    F             F          F      F
organisationUser       teacher   F             F          F      F
organisationUser       aa        F             F          F      F
organisationUser       slt       F             F          F      F
organisationUser       inv       F             F          F      F
organisationUser       as_eo     Y             Y          F      F
organisationUser       as_users  Y             Y          F      F

roles                  board     G             G          G      G
roles                  eo        G             F          F      F
roles                  users     G             F          F      F
roles                  sfa_eo    R             F          F      F
roles                  teacher   R             F          F      F
roles                  aa        R             F          F      F
roles                  slt       R             F          F      F
roles                  inv       R             F          F      F
roles                  as_eo     G             G          F      F
roles                  as_users  G             G          F      F

services               board     none          none       none   none
services               eo        SFA,AA,UM,GL  F          F      F
services               users     UM            F          F      F
services               sfa_eo    SFA           F          F      F
services               teacher   SFA           F          F      F
services               aa        AA            F          F      F
services               slt       none          F          F      F
services               inv       none          F          F      F
services               as_eo     SFA,AA,UM,GL  SFA,AA,UM  F      F
services               as_users  UM            UM         F      F

inviteUser             board     Y             Y          Y      D
inviteUser             eo        Y             F          F      F
inviteUser             users     Y             F          F      F
inviteUser             sfa_eo    F             F          F      F
inviteUser             teacher   F             F          F      F
inviteUser             aa        F             F          F      F
inviteUser             slt       F             F          F      F
inviteUser             inv       F             F          F      F
inviteUser             as_eo     Y             Y          F      F
inviteUser             as_users  Y             Y          F      F

resendInvitation       board     Y             Y          Y      D
resendInvitation       eo        Y             F          F      F
resendInvitation       users     Y             F          F      F
resendInvitation       sfa_eo    F             F          F      F
resendInvitation       teacher   F             F          F      F
resendInvitation       aa        F             F          F      F
resendInvitation       slt       F             F          F      F
resendInvitation       inv       F             F          F      F
resendInvitation       as_eo     Y             Y          F      F
resendInvitation       as_users  Y             Y          F      F

deleteUserAccount      board     F             F          F      F
deleteUserAccount      eo        Y             F          F      F
deleteUserAccount      users     Y             F          F      F
deleteUserAccount      sfa_eo    F             F          F      F
deleteUserAccount      teacher   F             F          F      F
deleteUserAccount      aa        F             F          F      F
deleteUserAccount      slt       F             F          F      F
deleteUserAccount      inv       F             F          F      F
deleteUserAccount      as_eo     Y             Y          F      F
deleteUserAccount      as_users  Y             Y          F      F

updateUserRoles        board     Y             Y          Y      Y
updateUserRoles        eo        Y             F          F      F
updateUserRoles        users     Y             F          F      F
updateUserRoles        sfa_eo    F             F          F      F
updateUserRoles        teacher   F             F          F      F
updateUserRoles        aa        F             F          F      F
updateUserRoles        slt       F             F          F      F
updateUserRoles        inv       F             F          F      F
updateUserRoles        as_eo     Y             Y          F      F
updateUserRoles        as_users  Y             Y          F      F

updateUser             board     Y             Y          Y      Y
updateUser             eo        Y             F          F      F
updateUser             users     Y             F          F      F
updateUser             sfa_eo    F             F          F      F
updateUser             teacher   F             F          F      F
updateUser             aa        F             F          F      F
updateUser             slt       F             F          F      F
updateUser             inv       F             F          F      F
updateUser             as_eo     Y             Y          F      F
updateUser             as_users  Y             Y          F      F

removeUser             board     Y             Y          Y      Y
removeUser             eo        Y             F          F      F
removeUser             users     Y             F          F      F
removeUser             sfa_eo    F             F          F      F
removeUser             teacher   F             F          F      F
removeUser             aa        F             F          F      F
removeUser             slt       F             F          F      F
removeUser             inv       F             F          F      F
removeUser             as_eo     Y             Y          F      F
removeUser             as_users  Y             Y          F      F

registerUser           board     Y             Y          Y      D
registerUser           eo        F             F          F      F
registerUser           users     F             F          F      F
registerUser           sfa_eo    F             F          F      F
registerUser           teacher   F             F          F      F
registerUser           aa        F             F          F      F
registerUser           slt       F             F          F      F
registerUser           inv       F             F          F      F
registerUser           as_eo     F             F          F      F
registerUser           as_users  F             F          F      F

designateExamsOfficer  board     I             Y          Y      D
designateExamsOfficer  eo        F             F          F      F
designateExamsOfficer  users     F             F          F      F
designateExamsOfficer  sfa_eo    F             F          F      F
designateExamsOfficer  teacher   F             F          F      F
designateExamsOfficer  aa        F             F          F      F
designateExamsOfficer  slt       F             F          F      F
designateExamsOfficer  inv       F             F          F      F
designateExamsOfficer  as_eo     F             F          F      F
designateExamsOfficer  as_users  F             F          F      F

exportAccessReview     board     Y             Y          Y      Y
exportAccessReview     eo        Y             F          F      F
exportAccessReview     users     F             F          F      F
exportAccessReview     sfa_eo    F             F          F      F
exportAccessReview     teacher   F             F          F      F
exportAccessReview     aa        F             F          F      F
exportAccessReview     slt       F             F          F      F
exportAccessReview     inv       F             F          F      F
exportAccessReview     as_eo     Y             F          F      F
exportAccessReview     as_users  F             F          F      F

undeliveredEmails      board     Y             Y          Y      Y
undeliveredEmails      eo        F             F          F      F
undeliveredEmails      users     F             F          F      F
undeliveredEmails      sfa_eo    F             F          F      F
undeliveredEmails      teacher   F             F          F      F
undeliveredEmails      aa        F             F          F      F
undeliveredEmails      slt       F             F          F      F
undeliveredEmails      inv       F             F          F      F
undeliveredEmails      as_eo     F             F          F      F
undeliveredEmails      as_users  F             F          F      F

resendEmail            board     Y             Y          Y      Y
resendEmail            eo        F             F          F      F
resendEmail            users     F             F          F      F
resendEmail            sfa_eo    F             F          F      F
resendEmail            teacher   F             F          F      F
resendEmail            aa        F             F          F      F
resendEmail            slt       F             F          F      F
resendEmail            inv       F             F          F      F
resendEmail            as_eo     F             F          F      F
resendEmail            as_users  F             F          F      F

setPassword            board     Y             Y          Y      Y
setPassword            eo        Y             F          F      F
setPassword            users     Y             F          F      F
setPassword            sfa_eo    F             F          F      F
setPassword            teacher   F             F          F      F
setPassword            aa        F             F          F      F
setPassword            slt       F             F          F      F
setPassword            inv       F             F          F      F
setPassword            as_eo     Y             Y          F      F
setPassword            as_users  Y             Y          F      F

setEmail               board     Y             Y          Y      Y
setEmail               eo        Y             F          F      F
setEmail               users     F             F          F      F
setEmail               sfa_eo    F             F          F      F
setEmail               teacher   F             F          F      F
setEmail               aa        F             F          F      F
setEmail               slt       F             F          F      F
setEmail               inv       F             F          F      F
setEmail               as_eo     Y             Y          F      F
setEmail               as_users  F             F          F      F

setOfficerPassword     board     Y             Y          Y      Y
setOfficerPassword     eo        F             F          F      F
setOfficerPassword     users     F             F          F      F
setOfficerPassword     sfa_eo    F             F          F      F
setOfficerPassword     teacher   F             F          F      F
setOfficerPassword     aa        F             F          F      F
setOfficerPassword     slt       F             F          F      F
setOfficerPassword     inv       F             F          F      F
setOfficerPassword     as_eo     F             F          F      F
setOfficerPassword     as_users  F             F          F      F

setOfficerEmail        board     Y             Y          Y      Y
setOfficerEmail        eo        F             F          F      F
setOfficerEmail        users     F             F          F      F
setOfficerEmail        sfa_eo    F             F          F      F
setOfficerEmail        teacher   F             F          F      F
setOfficerEmail        aa        F             F          F      F
setOfficerEmail        slt       F             F          F      F
setOfficerEmail        inv       F             F          F      F
setOfficerEmail        as_eo     F             F          F      F
setOfficerEmail        as_users  F             F          F      F

setSharedPassword      board     Y             Y          Y      Y
setSharedPassword      eo        F             F          F      F
setSharedPassword      users     F             F          F      F
setSharedPassword      sfa_eo    F             F          F      F
setSharedPassword      teacher   F             F          F      F
setSharedPassword      aa        F             F          F      F
setSharedPassword      slt       F             F          F      F
setSharedPassword      inv       F             F          F      F
setSharedPassword      as_eo     F             F          F      F
setSharedPassword      as_users  F             F          F      F
testSessions                  board     Y             Y          Y      Y
testSessions                  eo        Y             F          F      F
testSessions                  users     F             F          F      F
testSessions                  sfa_eo    F             F          F      F
testSessions                  teacher   F             F          F      F
testSessions                  aa        F             F          F      F
testSessions                  slt       Y             F          F      F
testSessions                  inv       F             F          F      F
testSessions                  as_eo     Y             Y          F      F
testSessions                  as_users  F             F          F      F

testSession                   board     Y             Y          Y      Y
testSession                   eo        Y             F          F      F
testSession                   users     F             F          F      F
testSession                   sfa_eo    F             F          F      F
testSession                   teacher   F             F          F      F
testSession                   aa        F             F          F      F
testSession                   slt       Y             F          F      F
testSession                   inv       F             F          F      F
testSession                   as_eo     Y             Y          F      F
testSession                   as_users  F             F          F      F

createTestSession             board     C             Y          Y      D
createTestSession             eo        Y             F          F      F
createTestSession             users     F             F          F      F
createTestSession             sfa_eo    F             F          F      F
createTestSession             teacher   F             F          F      F
createTestSession             aa        F             F          F      F
createTestSession             slt       F             F          F      F
createTestSession             inv       F             F          F      F
createTestSession             as_eo     C             Y          F      F
createTestSession             as_users  F             F          F      F

updateTestSession             board     Y             Y          Y      D
updateTestSession             eo        Y             F          F      F
updateTestSession             users     F             F          F      F
updateTestSession             sfa_eo    F             F          F      F
updateTestSession             teacher   F             F          F      F
updateTestSession             aa        F             F          F      F
updateTestSession             slt       F             F          F      F
updateTestSession             inv       F             F          F      F
updateTestSession             as_eo     Y             Y          F      F
updateTestSession             as_users  F             F          F      F

cancelTestSession             board     Y             Y          Y      D
cancelTestSession             eo        Y             F          F      F
cancelTestSession             users     F             F          F      F
cancelTestSession             sfa_eo    F             F          F      F
cancelTestSession             teacher   F             F          F      F
cancelTestSession             aa        F             F          F      F
cancelTestSession             slt       F             F          F      F
cancelTestSession             inv       F             F          F      F
cancelTestSession             as_eo     Y             Y          F      F
cancelTestSession             as_users  F             F          F      F

enterCandidateIntoTestSession board     C             Y          Y      D
enterCandidateIntoTestSession eo        Y             F          F      F
enterCandidateIntoTestSession users     F             F          F      F
enterCandidateIntoTestSession sfa_eo    F             F          F      F
enterCandidateIntoTestSession teacher   F             F          F      F
enterCandidateIntoTestSession aa        F             F          F      F
enterCandidateIntoTestSession slt       F             F          F      F
enterCandidateIntoTestSession inv       F             F          F      F
enterCandidateIntoTestSession as_eo     C             Y          F      F
enterCandidateIntoTestSession as_users  F             F          F      F

createLogInSheet       board     F             F          F      F
createLogInSheet       eo        Y             F          F      F
createLogInSheet       users     F             F          F      F
createLogInSheet       sfa_eo    F             F          F      F
createLogInSheet       teacher   F             F          F      F
createLogInSheet       aa        F             F          F      F
createLogInSheet       slt       F             F          F      F
createLogInSheet       inv       F             F          F      F
createLogInSheet       as_eo     Y             Y          F      F
createLogInSheet       as_users  F             F          F      F

currentTest            board     F             F          F      F
currentTest            eo        F             F          F      F
currentTest            users     F             F          F      F
currentTest            sfa_eo    F             F          F      F
currentTest            teacher   F             F          F      F
currentTest            aa        F             F          F      F
currentTest            slt       F             F          F      F
currentTest            inv       F             F          F      F
currentTest            as_eo     F             F          F      F
currentTest            as_users  F             F          F      F

assessmentAccess       board     F             F          F      F
assessmentAccess       eo        Y             F          F      F
assessmentAccess       users     F             F          F      F
assessmentAccess       sfa_eo    F             F          F      F
assessmentAccess       teacher   F             F          F      F
assessmentAccess       aa        F             F          F      F
assessmentAccess       slt       F             F          F      F
assessmentAccess       inv       F             F          F      F
assessmentAccess       as_eo     C             Y          F      F
assessmentAccess       as_users  F             F          F      F

setHiddenAssessments   board     F             F          F      F
setHiddenAssessments   eo        Y             F          F      F
setHiddenAssessments   users     F             F          F      F
setHiddenAssessments   sfa_eo    F             F          F      F
setHiddenAssessments   teacher   F             F          F      F
setHiddenAssessments   aa        F             F          F      F
setHiddenAssessments   slt       F             F          F      F
setHiddenAssessments   inv       F             F          F      F
setHiddenAssessments   as_eo     C             Y          F      F
setHiddenAssessments   as_users  F             F          F      F

userDeletionImpact     board     F             F          F      F
userDeletionImpact     eo        Y             F          F      F
userDeletionImpact     users     Y             F          F      F
userDeletionImpact     sfa_eo    F             F          F      F
userDeletionImpact     teacher   F             F          F      F
userDeletionImpact     aa        F             F          F      F
userDeletionImpact     slt       F             F          F      F
userDeletionImpact     inv       F             F          F      F
userDeletionImpact     as_eo     Y             Y          F      F
userDeletionImpact     as_users  Y             Y          F      F

updateResource         board     Y             Y          Y      Y
updateResource         eo        F             F          F      F
updateResource         users     F             F          F      F
updateResource         sfa_eo    F             F          F      F
updateResource         teacher   F             F          F      F
updateResource         aa        F             F          F      F
updateResource         slt       F             F          F      F
updateResource         inv       F             F          F      F
updateResource         as_eo     F             F          F      F
updateResource         as_users  F             F          F      F

replaceResourceFile    board     Y             Y          Y      Y
replaceResourceFile    eo        F             F          F      F
replaceResourceFile    users     F             F          F      F
replaceResourceFile    sfa_eo    F             F          F      F
replaceResourceFile    teacher   F             F          F      F
replaceResourceFile    aa        F             F          F      F
replaceResourceFile    slt       F             F          F      F
replaceResourceFile    inv       F             F          F      F
replaceResourceFile    as_eo     F             F          F      F
replaceResourceFile    as_users  F             F          F      F

deleteResource         board     Y             Y          Y      Y
deleteResource         eo        F             F          F      F
deleteResource         users     F             F          F      F
deleteResource         sfa_eo    F             F          F      F
deleteResource         teacher   F             F          F      F
deleteResource         aa        F             F          F      F
deleteResource         slt       F             F          F      F
deleteResource         inv       F             F          F      F
deleteResource         as_eo     F             F          F      F
deleteResource         as_users  F             F          F      F

withdrawResource       board     Y             Y          Y      Y
withdrawResource       eo        F             F          F      F
withdrawResource       users     F             F          F      F
withdrawResource       sfa_eo    F             F          F      F
withdrawResource       teacher   F             F          F      F
withdrawResource       aa        F             F          F      F
withdrawResource       slt       F             F          F      F
withdrawResource       inv       F             F          F      F
withdrawResource       as_eo     F             F          F      F
withdrawResource       as_users  F             F          F      F

uploadHelpDocument     board     Y             Y          Y      Y
uploadHelpDocument     eo        F             F          F      F
uploadHelpDocument     users     F             F          F      F
uploadHelpDocument     sfa_eo    F             F          F      F
uploadHelpDocument     teacher   F             F          F      F
uploadHelpDocument     aa        F             F          F      F
uploadHelpDocument     slt       F             F          F      F
uploadHelpDocument     inv       F             F          F      F
uploadHelpDocument     as_eo     F             F          F      F
uploadHelpDocument     as_users  F             F          F      F

updateHelpDocument     board     Y             Y          Y      Y
updateHelpDocument     eo        F             F          F      F
updateHelpDocument     users     F             F          F      F
updateHelpDocument     sfa_eo    F             F          F      F
updateHelpDocument     teacher   F             F          F      F
updateHelpDocument     aa        F             F          F      F
updateHelpDocument     slt       F             F          F      F
updateHelpDocument     inv       F             F          F      F
updateHelpDocument     as_eo     F             F          F      F
updateHelpDocument     as_users  F             F          F      F

deleteHelpDocument     board     Y             Y          Y      Y
deleteHelpDocument     eo        F             F          F      F
deleteHelpDocument     users     F             F          F      F
deleteHelpDocument     sfa_eo    F             F          F      F
deleteHelpDocument     teacher   F             F          F      F
deleteHelpDocument     aa        F             F          F      F
deleteHelpDocument     slt       F             F          F      F
deleteHelpDocument     inv       F             F          F      F
deleteHelpDocument     as_eo     F             F          F      F
deleteHelpDocument     as_users  F             F          F      F

enterCandidate         board     C             Y          Y      D
enterCandidate         eo        Y             F          F      F
enterCandidate         users     F             F          F      F
enterCandidate         sfa_eo    F             F          F      F
enterCandidate         teacher   F             F          F      F
enterCandidate         aa        F             F          F      F
enterCandidate         slt       F             F          F      F
enterCandidate         inv       F             F          F      F
enterCandidate         as_eo     C             Y          F      F
enterCandidate         as_users  F             F          F      F

withdrawEntry          board     Y             Y          Y      Y
withdrawEntry          eo        Y             F          F      F
withdrawEntry          users     F             F          F      F
withdrawEntry          sfa_eo    F             F          F      F
withdrawEntry          teacher   F             F          F      F
withdrawEntry          aa        F             F          F      F
withdrawEntry          slt       F             F          F      F
withdrawEntry          inv       F             F          F      F
withdrawEntry          as_eo     Y             Y          F      F
withdrawEntry          as_users  F             F          F      F

loadResult             board     Y             Y          Y      Y
loadResult             eo        F             F          F      F
loadResult             users     F             F          F      F
loadResult             sfa_eo    F             F          F      F
loadResult             teacher   F             F          F      F
loadResult             aa        F             F          F      F
loadResult             slt       F             F          F      F
loadResult             inv       F             F          F      F
loadResult             as_eo     F             F          F      F
loadResult             as_users  F             F          F      F

helpDocuments          board     Y             Y          Y      Y
helpDocuments          eo        Y             Y          Y      F
helpDocuments          users     Y             Y          Y      F
helpDocuments          sfa_eo    Y             Y          Y      F
helpDocuments          teacher   Y             Y          Y      F
helpDocuments          aa        Y             Y          Y      F
helpDocuments          slt       Y             Y          Y      F
helpDocuments          inv       Y             Y          Y      F
helpDocuments          as_eo     Y             Y          Y      F
helpDocuments          as_users  Y             Y          Y      F
explainAccess          board     Y             Y          Y      Y
explainAccess          eo        Y             F          F      F
explainAccess          users     F             F          F      F
explainAccess          sfa_eo    F             F          F      F
explainAccess          teacher   F             F          F      F
explainAccess          aa        F             F          F      F
explainAccess          slt       F             F          F      F
explainAccess          inv       F             F          F      F
explainAccess          as_eo     Y             F          F      F
explainAccess          as_users  F             F          F      F

policyTable            board     Y             Y          Y      Y
policyTable            eo        F             F          F      F
policyTable            users     F             F          F      F
policyTable            sfa_eo    F             F          F      F
policyTable            teacher   F             F          F      F
policyTable            aa        F             F          F      F
policyTable            slt       F             F          F      F
policyTable            inv       F             F          F      F
policyTable            as_eo     F             F          F      F
policyTable            as_users  F             F          F      F

"""


@dataclass(frozen=True)
class Cell:
    operation: str
    actor: str
    target: str
    expected: str

    @property
    def id(self) -> str:
        return f"{self.operation}-{self.actor}-{self.target}"


def parse_matrix(text: str) -> list[Cell]:
    lines = [line.split() for line in text.strip().splitlines() if line.strip()]
    header, rows = lines[0], lines[1:]
    assert header[:2] == ["operation", "actor"]
    targets = header[2:]
    cells: list[Cell] = []
    for row in rows:
        assert len(row) == len(header), row
        operation, actor, *values = row
        cells.extend(Cell(operation, actor, t, v) for t, v in zip(targets, values, strict=True))
    return cells


CELLS = parse_matrix(MATRIX)

# Each operation's cells run with the tests of the domain whose schema package serves it.
DOMAINS: dict[str, tuple[str, ...]] = {
    "network": ("organisations", "organisation", "roles", "services"),
    "people": (
        "organisationUsers",
        "organisationUser",
        "inviteUser",
        "resendInvitation",
        "deleteUserAccount",
        "updateUserRoles",
        "updateUser",
        "removeUser",
        "registerUser",
        "designateExamsOfficer",
        # updateUserAccount setting someone's password or email (people_calls.py says which).
        "setPassword",
        "setEmail",
        "setOfficerPassword",
        "setOfficerEmail",
        "setSharedPassword",
        # The access review: the board's everywhere, an exams officer's at their own only.
        "exportAccessReview",
    ),
    # Access explained: the board anywhere, an exams officer at their own organisation only (not
    # at an associate's centres); the rules as a table: the board's (the column is not asked).
    "admin": ("undeliveredEmails", "resendEmail", "explainAccess", "policyTable"),
    # Entries are managed by the centre's exams officer (or its associate's); results are loaded
    # by the board alone. Entering needs a live centre.
    "exams": ("enterCandidate", "withdrawEntry", "loadResult"),
    # Test sessions are managed as entries are; the log-in sheet prints passwords: the venue's
    # exams officer's (or its associate's) alone, not the board's nor SLT's. A started test is
    # read with a candidate's test token only.
    "test_sessions": (
        "testSessions",
        "testSession",
        "createTestSession",
        "updateTestSession",
        "cancelTestSession",
        "enterCandidateIntoTestSession",
        "createLogInSheet",
        "currentTest",
    ),
    "training": ("assessmentAccess", "setHiddenAssessments", "userDeletionImpact"),
    "services": (
        "updateResource",
        "replaceResourceFile",
        "deleteResource",
        "withdrawResource",
        "helpDocuments",
        "uploadHelpDocument",
        "updateHelpDocument",
        "deleteHelpDocument",
    ),
}
OPERATIONS = sorted({cell.operation for cell in CELLS})


def cells_of(domain: str) -> list[Cell]:
    return [cell for cell in CELLS if cell.operation in DOMAINS[domain]]


def operations_of(domain: str) -> list[str]:
    return [operation for operation in OPERATIONS if operation in DOMAINS[domain]]
