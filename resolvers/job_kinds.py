"""Every kind of background job, in one table: the work it runs and what queuing it needed."""

from resolvers.admin import audit_reports
from resolvers.core.jobs import JobKind
from resolvers.exams import bulk_entries
from resolvers.network import centre_upload
from resolvers.people import access_review, staff_upload
from resolvers.results_website import credential_documents
from resolvers.test_sessions import login_sheets
from resolvers.training import certificates, staff_progress

JOB_KINDS: dict[str, JobKind] = {
    access_review.KIND: JobKind(
        access_review.write_review, requires=(access_review.OBJECT, access_review.ACTION)
    ),
    audit_reports.KIND: JobKind(audit_reports.write_export, requires=("audit", "read")),
    bulk_entries.KIND: JobKind(bulk_entries.run_candidates_job, requires=("entries", "manage")),
    centre_upload.KIND: JobKind(centre_upload.run_upload_job, requires=("centres", "upload")),
    certificates.KIND: JobKind(certificates.zip_certificates, requires=("staff_progress", "read")),
    credential_documents.KIND: JobKind(
        credential_documents.render_documents, requires=("results_credentials", "download")
    ),
    staff_progress.KIND: JobKind(
        staff_progress.export_summary, requires=("staff_progress", "read")
    ),
    staff_upload.KIND: JobKind(staff_upload.run_upload_job, requires=("user_accounts", "create")),
    login_sheets.KIND: JobKind(
        login_sheets.render_login_sheet, requires=("login_sheets", "download")
    ),
}
