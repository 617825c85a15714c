-- One row per analysis of one sample (the job journal and the result cache).
-- Portable subset of SQL: this script runs unchanged on H2 and MariaDB.
CREATE TABLE analysis (
    job_id              BIGINT        NOT NULL AUTO_INCREMENT,
    identity            CHAR(64)      NOT NULL,
    sha256              CHAR(64)      NOT NULL,
    file_size           BIGINT        NOT NULL,
    name_declared       VARCHAR(1024) NULL,
    type_declared       VARCHAR(255)  NULL,
    content_disposition VARCHAR(255)  NULL,
    state               VARCHAR(16)   NOT NULL,
    result              VARCHAR(16)   NOT NULL,
    reason              VARCHAR(4000) NULL,
    report              TEXT          NULL,
    instance_id         VARCHAR(64)   NOT NULL,
    created_at          TIMESTAMP(3)  NOT NULL,
    finished_at         TIMESTAMP(3)  NULL,
    CONSTRAINT pk_analysis PRIMARY KEY (job_id)
);

-- Equality columns first: the known lookup filters by identity and state.
CREATE INDEX ix_analysis_identity_state ON analysis (identity, state, result);
CREATE INDEX ix_analysis_created_at ON analysis (created_at);
