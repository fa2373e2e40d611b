// Deletes every node and relationship. Only the test harness calls it,
// against a throwaway database (NEO4J_TEST_URI).
// Params: none. Returns: nothing.
MATCH (n) DETACH DELETE n
