import type { ColumnType, Generated, GeneratedAlways } from 'kysely'
import type { AssuranceLevel } from '../auth/assurance.js'

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>
type Json<T = unknown> = ColumnType<T, string, string>

export interface Database {
  schema_migrations: { name: string; applied_at: Timestamp }
  offices: { id: string; name_de: string; name_en: string }
  staff: { id: string; email: string; name: string; password_hash: string; created_at: Timestamp }
  staff_roles: { staff_id: string; office_id: string; role: StaffRole }
  staff_totp: {
    staff_id: string
    secret: string
    confirmed_at: Date | null
    last_time_step: ColumnType<string | number | bigint, number | undefined, number>
    created_at: Timestamp
  }
  staff_recovery_codes: { code_hash: string; staff_id: string; used_at: Date | null }
  staff_passkeys: {
    credential_id: string
    staff_id: string
    public_key: Uint8Array
    sign_count: ColumnType<string | number | bigint, number | undefined, number>
    transports: ColumnType<string, string | undefined, string>
    name: string
    created_at: Timestamp
    last_used_at: Date | null
  }
  staff_pending_sign_ins: {
    session_hash: string
    staff_id: string
    return_to: string | null
    failed_attempts: ColumnType<number, number | undefined, number>
    started_at: Date
  }
  staff_directory_identities: {
    issuer: string
    subject: string
    staff_id: string
    /** Encrypted (STAFF_DIRECTORY_TOKEN_KEY); null when the directory gave none. */
    refresh_token: string | null
    linked_at: Timestamp
    last_synced_at: Timestamp
    deprovisioned_at: Timestamp | null
  }
  staff_directory_sign_ins: {
    state_hash: string
    session_hash: string
    code_verifier: string
    nonce: string
    return_to: string | null
    started_at: Date
  }
  staff_webauthn_challenges: {
    session_hash: string
    purpose: 'register' | 'authenticate'
    challenge: string
    created_at: Date
  }
  staff_role_requests: {
    id: string
    staff_id: string
    office_id: string
    role: StaffRole
    requested_by: string
    requested_at: Timestamp
    decided_by: string | null
    decided_at: Timestamp | null
    outcome: 'approved' | 'rejected' | null
  }
  accounts: {
    id: string
    kind: AccountKind
    email: string
    password_hash: string
    email_verified_at: Timestamp | null
    locale: ColumnType<string, string | undefined, string>
    given_name: string | null
    family_name: string | null
    birth_date: string | null
    company_name: string | null
    street: string | null
    house_number: string | null
    postal_code: string | null
    city: string | null
    phone: string | null
    /** Fields a provider vouched for (migration 0035): { field: { provider, at } }; absent means self-entered. */
    verified_fields: ColumnType<VerifiedFields, string | undefined, string>
    created_at: Timestamp
  }
  account_identities: {
    provider_id: string
    subject: string
    account_id: string
    assurance: AssuranceLevel
    linked_at: Timestamp
    last_used_at: Timestamp
  }
  saml_sign_ins: {
    request_id: string
    provider_id: string
    browser_hash: string
    return_to: string
    assurance: AssuranceLevel | null
    link: boolean
    locale: string
    created_at: Timestamp
    expires_at: Timestamp
    answered_at: Timestamp | null
    code_hash: string | null
    identity: ColumnType<unknown, string | null, string | null>
  }
  /** An OpenID Connect sign-in under way (migration 0036): state, PKCE verifier and nonce, kept server-side. */
  oidc_sign_ins: {
    state_hash: string
    browser_hash: string
    provider_id: string
    code_verifier: string
    nonce: string
    intent: ColumnType<OidcSignInIntent, string, string>
    expires_at: Timestamp
  }
  /** The ID token of a provider session, for RP-initiated logout (id_token_hint). */
  oidc_logins: {
    provider_id: string
    provider_session: string
    account_id: string
    id_token: string
    expires_at: Timestamp
  }
  /** Back-channel logout tokens already used (jti). */
  oidc_logout_tokens: { provider_id: string; jti: string; expires_at: Timestamp }
  sessions: {
    id_hash: string
    account_id: string | null
    staff_id: string | null
    created_at: Timestamp
    /** The absolute end; the idle timeout counts from last_seen_at (sessions.ts). */
    expires_at: Timestamp
    last_seen_at: Timestamp
    /** The eIDAS level the session was signed in with; 'low' for a password. */
    assurance: ColumnType<AssuranceLevel, AssuranceLevel | undefined, AssuranceLevel>
    /** The provider a provider sign-in came from, and its session (OIDC sid, SAML SessionIndex) for its logout. */
    identity_provider: ColumnType<string | null, string | null | undefined, string | null>
    provider_session: ColumnType<string | null, string | null | undefined, string | null>
  }
  session_resumes: {
    id: string
    browser_hash: string
    account_id: string | null
    staff_id: string | null
    action: string
    multipart: boolean
    fields: Json<[string, string][]>
    files_dropped: number
    created_at: Generated<Date>
    expires_at: Timestamp
  }
  account_tokens: {
    token_hash: string
    account_id: string
    purpose: 'verify_email' | 'reset_password'
    expires_at: Timestamp
    used_at: Timestamp | null
  }
  submission_keys: {
    idempotency_key: string
    service_id: string
    request_sha256: string
    draft_id: string
    created_at: Generated<Date>
  }
  pow_solutions_used: { signature: string; expires_at: Date }
  unverified_submissions: { client_hash: string; window_start: Date; submissions: number }
  mail_outbox: {
    id: string
    recipient: string
    subject: string
    body_text: string
    created_at: Timestamp
    sent_at: Timestamp | null
    quota_bound: Generated<boolean>
  }
  mail_attachments: { mail_id: string; file_id: string }
  deadline_alerts: { case_id: string; kind: 'reminder' | 'escalation'; due_at: Timestamp; sent_at: Timestamp }
  service_versions: {
    service_id: string
    version: number
    definition: Json
    content_hash: string
    loaded_at: Timestamp
  }
  catalogue_entries: {
    service_id: string
    current_version: number
    office_id: string
    audience: string[]
    life_situations: string[]
    title_de: string
    title_en: string
  }
  /** Defect reports (Mängelmelder, migration 0015): what a report holds beyond its case. */
  reports: {
    id: string
    case_id: string
    category_code: string
    description: string
    lat: number | null
    lon: number | null
    grid_cell: ColumnType<number | null, number | null | undefined, number | null>
    address: string | null
    public_status: ColumnType<'open' | 'closed', 'open' | 'closed' | undefined, 'open' | 'closed'>
    state: string
    closed_at: Timestamp | null
    sensitive: ColumnType<boolean, boolean | undefined, boolean>
    photos_reviewed_at: Timestamp | null
    photos_reviewed_by: string | null
    photo_metadata_kept: ColumnType<boolean, boolean | undefined, boolean>
    contact_name: string | null
    contact_email: string | null
    contact_phone: string | null
    account_id: string | null
    locale: ColumnType<string, string | undefined, string>
    source: 'web' | 'open311'
    api_key_id: string | null
    idempotency_key: string | null
    category_confirmed_at: Timestamp | null
    created_at: Timestamp
    updated_at: Timestamp
  }
  report_photos: { report_id: string; position: number; file_id: string }
  report_followers: {
    id: string
    report_id: string
    account_id: string | null
    email: string | null
    locale: ColumnType<string, string | undefined, string>
    unsubscribe_token: string
    created_at: Timestamp
  }
  report_rate_limits: { client_key: string; window_start: Timestamp; count: number }
  drafts: {
    id: string
    service_id: string
    service_version: number
    session_hash: string | null
    account_id: string | null
    filed_by_staff_id: string | null
    answers: ColumnType<Record<string, unknown>, string | undefined, string>
    case_id: string | null
    created_at: Timestamp
    updated_at: Timestamp
    /** The session's level of assurance and provider when its owner submitted it (migration 0038); null before. */
    assurance: ColumnType<AssuranceLevel | null, AssuranceLevel | null | undefined, AssuranceLevel | null>
    identity_provider: ColumnType<string | null, string | null | undefined, string | null>
    /** For whom the draft is filled in (migration 0039): a mandate of the account, or a company it is a member of. */
    mandate_id: ColumnType<string | null, string | null | undefined, string | null>
    business_account_id: ColumnType<string | null, string | null | undefined, string | null>
  }
  cases: {
    id: string
    reference: string
    draft_id: string
    service_id: string
    service_version: number
    office_id: string
    account_id: string | null
    filed_by_staff_id: string | null
    applicant_name: string
    applicant_email: string | null
    answers: Json<Record<string, unknown>>
    status: string
    assignee_id: string | null
    submitted_at: Timestamp
    updated_at: Timestamp
    due_at: Timestamp | null
    clock_stopped_at: Timestamp | null
    /** What the deadline sweep still owes for the current due_at; null once escalated, or the case is closed. */
    next_alert: Generated<'reminder' | 'escalation' | null>
    /** The end of retention, set when the case reaches a final state (retention counts from closure); null while open. */
    retain_until: ColumnType<string | null, string | null, string | null>
    locale: string
    /** Raised by every change (each timeline entry); forms send the version they were rendered from. */
    version: ColumnType<number, number | undefined, number>
    /** Reference, applicant, e-mail and addresses folded for the back-office search (migration 0023); the database fills it. */
    search_text: GeneratedAlways<string>
    /**
     * The submitter's level of assurance (eIDAS) and identity provider (migration 0038); assurance is null for a case
     * filed at the counter (identified in person), the provider null for a password or no sign-in.
     */
    assurance: ColumnType<AssuranceLevel | null, AssuranceLevel | null | undefined, AssuranceLevel | null>
    identity_provider: ColumnType<string | null, string | null | undefined, string | null>
    /** Acting on behalf (migration 0039): account_id acted, under this mandate or for this company. */
    mandate_id: ColumnType<string | null, string | null | undefined, string | null>
    business_account_id: ColumnType<string | null, string | null | undefined, string | null>
    acted_by_name: ColumnType<string | null, string | null | undefined, string | null>
    represented_name: ColumnType<string | null, string | null | undefined, string | null>
    represented_relation: ColumnType<
      RepresentedRelation | null,
      RepresentedRelation | null | undefined,
      RepresentedRelation | null
    >
  }
  mandates: {
    id: string
    agent_account_id: string | null
    kind: MandateKind
    principal_given_name: string
    principal_family_name: string
    principal_birth_date: ColumnType<string, string, string>
    principal_email: string | null
    principal_token_hash: string | null
    principal_account_id: string | null
    principal_confirmed_at: Date | null
    status: MandateStatus
    office_id: string
    proof_file_id: string | null
    created_at: Date
    decided_at: Date | null
    decided_by_staff_id: string | null
    rejection_reason: string | null
    ended_at: Date | null
    ended_by: MandateEndedBy | null
  }
  business_members: {
    id: string
    business_account_id: string
    member_account_id: string | null
    role: MemberRole
    invited_email: string
    invite_token_hash: string | null
    status: MemberStatus
    invited_at: Date
    accepted_at: Date | null
    removed_at: Date | null
  }
  case_events: {
    id: Generated<number>
    case_id: string
    at: Timestamp
    kind: string
    actor_staff_id: string | null
    actor_account_id: string | null
    internal: ColumnType<boolean, boolean | undefined, boolean>
    data: ColumnType<Record<string, unknown>, string | undefined, string>
    /** The case's version after this entry (null for entries older than versioning). */
    case_version: ColumnType<number | null, number | null | undefined, number | null>
  }
  case_involvements: {
    id: string
    case_id: string
    office_id: string
    task: string
    due_on: ColumnType<string, string, string>
    status: ColumnType<InvolvementStatus, InvolvementStatus | undefined, InvolvementStatus>
    requested_by_staff_id: string | null
    requested_at: Timestamp
    statement: ColumnType<string, string | undefined, string>
    statement_saved_by_staff_id: string | null
    statement_saved_at: Timestamp | null
    answered_by_staff_id: string | null
    answered_at: Timestamp | null
    withdrawn_by_staff_id: string | null
    withdrawn_at: Timestamp | null
    reminded_at: Timestamp | null
    version: ColumnType<number, number | undefined, number>
  }
  case_involvement_files: { involvement_id: string; file_id: string }
  files: {
    id: string
    draft_id: string | null
    case_id: string | null
    filename: string
    media_type: string
    size_bytes: number
    sha256: string
    content: Buffer | Uint8Array
    uploaded_by_account_id: string | null
    uploaded_by_staff_id: string | null
    session_hash: string | null
    created_at: Timestamp
  }
  messages: {
    id: string
    case_id: string
    account_id: string | null
    direction: 'to_applicant' | 'from_applicant'
    sender_staff_id: string | null
    subject: string
    body: string
    requests_documents: ColumnType<boolean, boolean | undefined, boolean>
    documents_provided_at: Timestamp | null
    documents_due_on: ColumnType<string | null, string | null | undefined, string | null>
    documents_reminded_at: Timestamp | null
    created_at: Timestamp
    read_at: Timestamp | null
  }
  message_files: { message_id: string; file_id: string }
  payments: {
    id: string
    reference: string
    service_id: string
    office_id: string
    draft_id: string | null
    case_id: string | null
    account_id: string | null
    amount_cents: number
    currency: ColumnType<string, string | undefined, string>
    status: ColumnType<PaymentStatus, PaymentStatus | undefined, PaymentStatus>
    description: string
    provider: string
    provider_payment_id: string | null
    redirect_url: string | null
    created_at: Timestamp
    updated_at: Timestamp
    paid_at: Timestamp | null
    fee_notice_id: string | null
    provider_status: string | null
    provider_checked_at: Timestamp | null
    refunded_cents: ColumnType<number, number | undefined, number>
    receipt_file_id: string | null
  }
  fee_notices: {
    id: string
    number: string
    case_id: string
    service_id: string
    office_id: string
    account_id: string | null
    lines: ColumnType<FeeNoticeLine[], string, string>
    amount_cents: number
    currency: ColumnType<string, string | undefined, string>
    due_on: ColumnType<string, string, string>
    period_start: ColumnType<string | null, string | null | undefined, string | null>
    period_end: ColumnType<string | null, string | null | undefined, string | null>
    status: ColumnType<FeeNoticeStatus, FeeNoticeStatus | undefined, FeeNoticeStatus>
    issued_by_staff_id: string | null
    locale: ColumnType<string, string | undefined, string>
    file_id: string | null
    message_id: string | null
    created_at: Timestamp
    paid_at: Timestamp | null
  }
  payment_refunds: {
    id: string
    payment_id: string
    amount_cents: number
    reason: string
    status: RefundStatus
    provider_refund_id: string | null
    staff_id: string | null
    created_at: Timestamp
  }
  payment_refund_requests: {
    id: string
    payment_id: string
    amount_cents: number
    reason: string
    status: Generated<RefundRequestStatus>
    requested_by_staff_id: string
    decided_by_staff_id: string | null
    decision_reason: string | null
    decided_at: Timestamp | null
    created_at: Timestamp
  }
  payment_events: {
    id: Generated<number>
    payment_id: string | null
    provider: string
    provider_event_id: string | null
    verified: boolean
    outcome: string
    reported_status: string | null
    raw: string
    received_at: Timestamp
  }
  sandbox_provider_payments: {
    id: string
    reference: string
    amount_cents: number
    currency: string
    description: string
    return_url: string
    notify_url: string
    status: ColumnType<'open' | 'paid' | 'failed' | 'cancelled', 'open' | undefined, 'paid' | 'failed' | 'cancelled'>
    method: string | null
    created_at: Timestamp
    completed_at: Timestamp | null
  }
  sandbox_provider_refunds: {
    id: string
    payment_id: string
    amount_cents: number
    idempotency_key: string
    created_at: Timestamp
  }
  failed_logins: { login_key: string; at: Timestamp }
  archive_offers: {
    case_id: string
    service_id: string
    office_id: string
    offered_at: Generated<Date>
    decision: ArchiveDecision | null
    decided_by_staff_id: string | null
    decided_at: Date | null
  }
  archive_transfers: {
    id: string
    created_at: Generated<Date>
    case_count: number
    filename: string
    zip: Buffer | Uint8Array
  }
  deletion_log: {
    id: Generated<string>
    at: Generated<Date>
    reason: DeletionReason
    subject_type: string
    outcome: 'deleted' | 'anonymised'
    count: number
    details: Json<Record<string, string | number>>
  }
  /** Consents given and withdrawn (migration 0032); platform/privacy/consents.ts reads and writes them. */
  consents: {
    id: string
    account_id: string
    kind: ConsentKind
    subject_ref: string | null
    text_version: string
    given_at: Timestamp
    withdrawn_at: Timestamp | null
  }
  /** Suggestions a person dismissed (migration 0041); the suggestions module reads and writes them. */
  suggestion_dismissals: {
    account_id: string
    rule_id: string
    event_case_id: string
    dismissed_at: Timestamp
  }
  /** The booking engine's resources (migration 0042): a copy of services/_resources.yaml for keys and staff views. */
  booking_resources: {
    id: string
    office_id: string
    kind: BookingResourceKind
    definition: Json<unknown>
    active: Generated<boolean>
  }
  /** A time held at a resource (migration 0042); each purpose's module reads its own. */
  bookings: {
    id: string
    reference: string
    resource_id: string
    purpose: BookingPurpose
    starts_at: Timestamp
    ends_at: Timestamp
    units: string[]
    status: Generated<BookingStatus>
    concern: string | null
    service_id: string | null
    case_id: string | null
    account_id: string | null
    person_name: string | null
    person_email: string | null
    person_phone: string | null
    locale: Generated<string>
    manage_token_hash: string | null
    note: string | null
    booked_by: string | null
    created_at: Timestamp
    cancelled_at: Timestamp | null
    cancel_reason: string | null
    checked_in_at: Timestamp | null
    reminded_at: Timestamp | null
    series_id: string | null
    fee_cents: number | null
    /** RFC 5545 SEQUENCE of the booking's calendar entry: raised on every move and on cancellation (migration 0043). */
    sequence: Generated<number>
  }
  /** The units a live booking holds with its buffer (migration 0042); the exclusion constraint forbids overlaps. */
  booking_occupancy: {
    booking_id: string
    resource_id: string
    unit: string
    /** A tstzrange literal, e.g. '[2026-12-08 08:00:00+00,2026-12-08 08:25:00+00)'. */
    during: string
  }
  /** What a business account is when it books halls (migration 0045). */
  organisation_profiles: {
    account_id: string
    organisation_type: 'club' | 'school' | 'company'
    member_count: number | null
    register_number: string | null
  }
  /** The facility side of an engine booking: booker, fee, exemption claim (migration 0045). */
  facility_bookings: {
    booking_id: string
    booked_by_account_id: string | null
    purpose_text: string
    fee_cents: number
    exemption: 'school' | 'youth' | 'non-profit' | null
    exemption_statement: string | null
    register_number: string | null
    exemption_status: 'claimed' | 'confirmed' | 'rejected' | null
    decided_by: string | null
    decided_at: Timestamp | null
  }
  /** A season of weekly hall slots (migration 0045). */
  facility_seasons: {
    id: string
    name: string
    first_day: ColumnType<string, string, string>
    last_day: ColumnType<string, string, string>
    excluded_days: string[]
    created_at: Timestamp
    created_by: string | null
  }
  /** A club's application for a weekly slot of a season (migration 0045). */
  facility_applications: {
    id: string
    season_id: string
    club_account_id: string
    applied_by_account_id: string | null
    resource_id: string
    parts: string[]
    weekday: number
    start_minute: number
    minutes: number
    group_kind: 'school' | 'youth' | 'club'
    note: string | null
    status: Generated<'applied' | 'allocated' | 'declined' | 'published'>
    decided_by: string | null
    series_id: string | null
    created_at: Timestamp
  }
  /** Days a hall is closed, added later (migration 0045). */
  facility_closures: {
    id: string
    resource_id: string
    first_day: ColumnType<string, string, string>
    last_day: ColumnType<string, string, string>
    reason: string
    created_by: string | null
    created_at: Timestamp
  }
  /** People waiting for a freed time (migration 0042). */
  booking_waitlist: {
    id: string
    resource_id: string
    concern: string | null
    first_day: string
    last_day: string
    account_id: string | null
    person_name: string | null
    person_email: string
    locale: Generated<string>
    created_at: Timestamp
    offered_at: Timestamp | null
    fulfilled_booking_id: string | null
    withdrawn_at: Timestamp | null
    token_hash: string
  }
  /** Staff calendar feeds of a resource (migration 0044): the secret of the URL stored hashed; revocable. */
  booking_feeds: {
    id: string
    resource_id: string
    label: string
    secret_hash: string
    created_by: string | null
    created_at: Timestamp
    revoked_at: Timestamp | null
    last_read_at: Timestamp | null
  }
  /** A video consultation at a booking (migration 0046): its existence and steps, never its content. */
  video_calls: {
    booking_id: string
    case_id: string | null
    state: Generated<'waiting' | 'admitted' | 'ended'>
    waiting_since: Timestamp | null
    admitted_at: Timestamp | null
    admitted_by: string | null
    ended_at: Timestamp | null
    ended_by: 'person' | 'staff' | null
    identity_checked_at: Timestamp | null
    identity_checked_by: string | null
  }
  /** Signalling messages too large for NOTIFY (migration 0046), deleted when the call ends. */
  video_signals: {
    id: string
    booking_id: string
    sender: 'person' | 'staff'
    body: string
    created_at: Timestamp
  }
  /** Exports of "Meine Daten" (migration 0032): the ZIP is kept until expires_at, then deleted. */
  privacy_exports: {
    id: string
    account_id: string
    requested_by_staff_id: string | null
    status: ColumnType<PrivacyExportStatus, PrivacyExportStatus | undefined, PrivacyExportStatus>
    locale: string
    requested_at: Timestamp
    ready_at: Timestamp | null
    expires_at: Timestamp | null
    size_bytes: number | null
    content: Buffer | Uint8Array | null
  }
  audit_log: {
    id: Generated<number>
    at: Timestamp
    actor_staff_id: string | null
    actor_account_id: string | null
    action: string
    subject_type: string
    subject_id: string
    office_id: string | null
    details: ColumnType<Record<string, unknown>, string | undefined, string>
  }
  jobs: {
    id: Generated<number>
    name: string
    payload: ColumnType<Record<string, unknown>, string | undefined, string>
    status: ColumnType<JobStatus, JobStatus | undefined, JobStatus>
    run_at: ColumnType<Date, Date | string | undefined, Date | string>
    attempts: ColumnType<number, number | undefined, number>
    max_attempts: ColumnType<number, number | undefined, number>
    locked_by: string | null
    locked_until: Timestamp | null
    last_error: string | null
    singleton_key: string | null
    created_at: Timestamp
    finished_at: Timestamp | null
  }
  job_schedules: { name: string; every_seconds: number; next_run_at: Timestamp }
  notice_drafts: {
    id: string
    case_id: string
    template_id: string
    locale: string
    title: string
    status: ColumnType<NoticeDraftStatus, NoticeDraftStatus | undefined, NoticeDraftStatus>
    body: string
    yjs_state: Buffer | Uint8Array
    version: ColumnType<number, number | undefined, number>
    last_update_id: ColumnType<number, number | undefined, number>
    created_by: string
    created_at: Timestamp
    updated_by: string | null
    updated_at: Timestamp
    signed_by: string | null
    signed_at: Timestamp | null
    file_id: string | null
    message_id: string | null
    document_id: string | null
  }
  notice_draft_comments: {
    id: string
    draft_id: string
    staff_id: string
    office_id: string
    body: string
    created_at: Timestamp
  }
  notice_previews: {
    draft_id: string
    staff_id: string
    version: number
    previewed_at: ColumnType<Date, Date | undefined, never>
  }
  notice_draft_updates: {
    id: Generated<number>
    draft_id: string
    payload: Buffer | Uint8Array
    staff_id: string | null
    created_at: Timestamp
  }
  file_documents: {
    id: string
    case_id: string
    kind: FileDocumentKindColumn
    title: string
    current_version: ColumnType<number, number | undefined, number>
    created_at: Timestamp
    updated_at: Timestamp
  }
  file_document_versions: {
    document_id: string
    version: number
    title: string
    text_content: string | null
    file_id: string | null
    extracted_text: string | null
    extracted_at: Timestamp | null
    /** A text search configuration name: german, english or simple. */
    search_config: ColumnType<string, string | undefined, never>
    created_by_staff_id: string | null
    created_by_account_id: string | null
    created_at: Timestamp
    /** Generated from title and texts; never written. */
    search: ColumnType<string, never, never>
  }
  /** Pre-sorting: what the model learns from — the starter set and caseworkers' routing decisions (migration 0016). */
  triage_examples: {
    id: Generated<number>
    kind: 'report' | 'contact'
    text: string
    label: string
    office: string
    source: 'starter' | 'confirmed' | 'corrected'
    group_key: string
    lang: string | null
    created_at: Timestamp
    confirmed_by_staff_id: string | null
  }
  /** Trained pre-sorting models; the newest active one per kind is used (migration 0016). */
  triage_models: {
    id: Generated<number>
    kind: 'report' | 'contact'
    version: number
    meta: Json
    weights: Buffer | Uint8Array
    active: boolean
    created_at: Timestamp
  }
  /** Keys of Open311 clients: only the key's SHA-256 is stored (migration 0017). */
  open311_api_keys: {
    id: string
    name: string
    key_hash: string
    key_prefix: string
    created_by: string
    created_at: Timestamp
    revoked_at: Timestamp | null
    revoked_by: string | null
    last_used_at: Timestamp | null
  }
}

/** requested: open, the other office may read the case and answer; answered: statement given; withdrawn: access ends. */
export type InvolvementStatus = 'requested' | 'answered' | 'withdrawn'
export type JobStatus = 'queued' | 'running' | 'done' | 'failed'
export type NoticeDraftStatus = 'draft' | 'signed' | 'discarded'
export type PaymentStatus = 'open' | 'pending' | 'paid' | 'failed' | 'cancelled' | 'refunded'
export type FeeNoticeStatus = 'open' | 'paid' | 'cancelled'
export type RefundStatus = 'pending' | 'succeeded' | 'failed'
/** A refund above the approval threshold waits for a second person (payment_refund_requests.status). */
export type RefundRequestStatus = 'requested' | 'approved' | 'rejected' | 'withdrawn'
/** One line of a fee notice, as stored: labels in both languages so the notice reads the same later. */
export interface FeeNoticeLine {
  id: string
  label: { de: string; en: string }
  quantity: number
  unitCents: number
  totalCents: number
}
/** treasury: the city treasury (Stadtkasse), payments of every office, no case files. */
export type StaffRole =
  | 'caseworker'
  | 'team_lead'
  | 'office_admin'
  | 'platform_admin'
  | 'treasury'
  | 'counter'
  | 'triage'
export type AccountKind = 'citizen' | 'business'
/** What a document of the electronic case file is (file_documents.kind). */
export type FileDocumentKindColumn =
  | 'submission'
  | 'attachment'
  | 'message'
  | 'note'
  | 'statement'
  | 'notice'
  | 'fee_notice'
  | 'receipt'
  | 'other'

/** The archive's decision on an offered case (Aussonderung): take it over, or release it for deletion. */
export type ArchiveDecision = 'archive' | 'destroy'
export type DeletionReason = 'retention' | 'account-erasure' | 'archive-transfer'

/** What a person can consent to (consents.kind); 'personalised-suggestions' is recorded once the feature exists. */
export type ConsentKind = 'email-notices' | 'report-following' | 'personalised-suggestions'
export type PrivacyExportStatus = 'queued' | 'ready' | 'failed' | 'expired'

/** accounts.verified_fields: which profile fields which provider vouched for, and when. */
export type VerifiedFields = Partial<Record<string, { provider: string; at: string }>>

/** Why an OpenID Connect sign-in was started (identity module): where to go after it, the level asked, linking. */
export interface OidcSignInIntent {
  returnTo: string
  assurance?: AssuranceLevel
  link: boolean
}
/** Acting on behalf (docs/mandates.md): what a mandate is for, and where it stands. */
export type MandateKind = 'parent' | 'guardian' | 'authorised'
export type MandateStatus = 'pending' | 'active' | 'rejected' | 'revoked'
export type MandateEndedBy = 'agent' | 'principal' | 'office' | 'erasure'
export type MemberRole = 'owner' | 'clerk'
export type MemberStatus = 'invited' | 'active' | 'removed'
/** How the account that acted on a case stands to the one it acted for. */
export type RepresentedRelation = MandateKind | MemberRole
/** The booking engine (docs/booking.md): what a resource is, who holds a time, and where the booking stands. */
export type BookingResourceKind = 'counter' | 'room' | 'hall' | 'video'
export type BookingPurpose = 'appointment' | 'facility' | 'video' | 'block'
export type BookingStatus = 'booked' | 'cancelled' | 'checked_in' | 'no_show' | 'done'
