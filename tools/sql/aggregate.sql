-- Stage 1 of the two-stage pack build (docs/pack-tables.md) in portable SQL: the same
-- aggregate tables as `vitrine-pack aggregate`, for running in the shop's own warehouse.
-- tests/pack/aggregate-sql.test.mjs runs this file on PostgreSQL and compares its output
-- with the C++ stage byte for byte.
--
-- Input: a table `events` (session_id, pos, item_id, kind), one row per event:
--   session_id  any type; one value per session (or order)
--   pos         0, 1, 2, ... the event's position in its session in time order, without gaps
--               (ROW_NUMBER() OVER (PARTITION BY session_id ORDER BY ts, event_id) - 1)
--   item_id     text, 1..256 bytes, no tab or newline
--   kind        1 for add_to_cart / begin_checkout / purchase events, 0 for views
-- Output: agg_totals (name, value), agg_items (item_id, sessions, orders),
--   agg_pairs (relation, item_a, item_b, sessions, weight); export each as tab-separated
--   text with a header (totals.tsv, items.tsv, pairs.tsv) for `vitrine-pack build`.
--
-- Parameters, written out as literals (change all together; they must match totals):
--   window = 10            steps ahead counted by co_view_seq
--   weight_scale = 2520    lcm(1..window): co_view_seq weight unit (exact integers)
--   max_session_items = 50 sessions with more distinct items: co_view within the window
-- Divisions below are exact (2520 is a multiple of every step 1..10), so dialects whose
-- `/` gives a float (BigQuery, Snowflake, ClickHouse) yield the same integers.
-- Every session adds at most 1 to any `sessions` count. min_sessions = 1: every pair is
-- kept; to cut rare pairs in the warehouse add HAVING COUNT(*) >= K to the three pair
-- queries and write K there (stage 2 then needs --min-support >= K).

-- Distinct items of each session in first-seen order.
CREATE TABLE agg_uniq AS
SELECT session_id, item_id,
       ROW_NUMBER() OVER (PARTITION BY session_id ORDER BY first_pos) AS rank_in_session,
       COUNT(*) OVER (PARTITION BY session_id) AS n_items
FROM (SELECT session_id, item_id, MIN(pos) AS first_pos
      FROM events GROUP BY session_id, item_id) first_seen;

-- Distinct carted or ordered items of each session.
CREATE TABLE agg_carts AS
SELECT session_id, item_id, COUNT(*) OVER (PARTITION BY session_id) AS n_items
FROM (SELECT DISTINCT session_id, item_id FROM events WHERE kind = 1) carted;

CREATE TABLE agg_totals AS
SELECT 'version' AS name, CAST(1 AS BIGINT) AS value
UNION ALL SELECT 'window', 10
UNION ALL SELECT 'max_session_items', 50
UNION ALL SELECT 'weight_scale', 2520
UNION ALL SELECT 'min_sessions', 1
UNION ALL SELECT 'sessions', (SELECT COUNT(DISTINCT session_id) FROM events)
UNION ALL SELECT 'orders', (SELECT COUNT(DISTINCT session_id) FROM events WHERE kind = 1)
UNION ALL SELECT 'events', (SELECT COUNT(*) FROM events);

CREATE TABLE agg_items AS
SELECT u.item_id, COUNT(*) AS sessions, COUNT(c.item_id) AS orders
FROM agg_uniq u
LEFT JOIN agg_carts c ON c.session_id = u.session_id AND c.item_id = u.item_id
GROUP BY u.item_id;

CREATE TABLE agg_pairs AS
-- co_view_seq: b within 10 steps after a; per session the sum of 2520/step.
SELECT 'co_view_seq' AS relation, item_a, item_b, COUNT(*) AS sessions,
       CAST(SUM(w) AS BIGINT) AS weight
FROM (SELECT e1.session_id, e1.item_id AS item_a, e2.item_id AS item_b,
             SUM(2520 / (e2.pos - e1.pos)) AS w
      FROM events e1
      JOIN events e2 ON e2.session_id = e1.session_id
                    AND e2.pos > e1.pos AND e2.pos <= e1.pos + 10
      WHERE e1.item_id <> e2.item_id
      GROUP BY e1.session_id, e1.item_id, e2.item_id) per_session
GROUP BY item_a, item_b
UNION ALL
-- co_view: both orders of every pair of distinct items of a session; in sessions with
-- more than 50 distinct items only pairs within 10 places of the first-seen order.
SELECT 'co_view', a.item_id, b.item_id, COUNT(*), CAST(0 AS BIGINT)
FROM agg_uniq a
JOIN agg_uniq b ON b.session_id = a.session_id AND b.item_id <> a.item_id
WHERE a.n_items <= 50 OR ABS(b.rank_in_session - a.rank_in_session) <= 10
GROUP BY a.item_id, b.item_id
UNION ALL
-- co_purchase: both orders of every pair of carted/ordered items (orders of <= 50 items).
SELECT 'co_purchase', a.item_id, b.item_id, COUNT(*), CAST(0 AS BIGINT)
FROM agg_carts a
JOIN agg_carts b ON b.session_id = a.session_id AND b.item_id <> a.item_id
WHERE a.n_items <= 50
GROUP BY a.item_id, b.item_id;
