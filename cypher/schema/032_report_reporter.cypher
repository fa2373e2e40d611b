// One report per reporter and message.
CREATE CONSTRAINT report_reporter IF NOT EXISTS FOR (r:Report) REQUIRE r.reporterKey IS UNIQUE
