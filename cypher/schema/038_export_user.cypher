// A user's data exports (the one-a-day rule), and the pending ones.
CREATE INDEX export_user IF NOT EXISTS FOR (e:DataExport) ON (e.userId)
