// Data export ids are unique.
CREATE CONSTRAINT export_id IF NOT EXISTS FOR (e:DataExport) REQUIRE e.id IS UNIQUE
