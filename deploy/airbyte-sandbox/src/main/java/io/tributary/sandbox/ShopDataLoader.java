package io.tributary.sandbox;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Writes the demo shop's rows into {@code raw_shop.customers}, {@code raw_shop.orders} and {@code
 * raw_shop.payments}, keyed by {@code id} so repeated syncs upsert, with Airbyte's {@code
 * _airbyte_*} columns. The rows depend only on the sync's generation (the nth successful sync of
 * the connection in this sandbox), never on the clock, except {@code _airbyte_extracted_at}.
 */
final class ShopDataLoader implements JobEngine.DataLoader {

    static final String SCHEMA = "raw_shop";
    static final String CUSTOMERS = "customers";
    static final String ORDERS = "orders";
    static final String PAYMENTS = "payments";
    private static final String AIRBYTE_UPDATES =
            " _airbyte_raw_id=excluded._airbyte_raw_id,"
                    + " _airbyte_extracted_at=excluded._airbyte_extracted_at,"
                    + " _airbyte_meta=excluded._airbyte_meta";
    private static final Instant EPOCH = Instant.parse("2024-01-01T00:00:00Z");
    private static final String[] FIRST = {
        "Ada", "Grace", "Alan", "Edsger", "Barbara", "Ken", "Linus"
    };
    private static final String[] LAST = {
        "Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Thompson"
    };
    private static final String[] COUNTRIES = {"FR", "DE", "US", "GB", "NL"};
    private static final String[] ORDER_STATUS = {"placed", "shipped", "completed", "returned"};
    private static final String[] METHODS = {"credit_card", "bank_transfer", "coupon", "gift_card"};

    private final String url;
    private final String user;
    private final String password;

    ShopDataLoader(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    static int customers(int generation) {
        return 20 + 2 * (generation - 1);
    }

    static int orders(int generation) {
        return 50 + 5 * (generation - 1);
    }

    /** Rows one sync of {@code generation} writes: customers, orders and one payment per order. */
    static long rowsFor(int generation) {
        return customers(generation) + 2L * orders(generation);
    }

    /** The shop's catalog: the three tables, in {@link #SCHEMA}, incremental on updated_at. */
    static List<SandboxStream> streams() {
        return List.of(
                stream(
                        CUSTOMERS,
                        "id",
                        "integer",
                        "first_name",
                        "string",
                        "last_name",
                        "string",
                        "email",
                        "string",
                        "country",
                        "string",
                        "created_at",
                        "date-time",
                        "updated_at",
                        "date-time"),
                stream(
                        ORDERS,
                        "id",
                        "integer",
                        "customer_id",
                        "integer",
                        "order_date",
                        "date",
                        "status",
                        "string",
                        "amount",
                        "number",
                        "currency",
                        "string",
                        "updated_at",
                        "date-time"),
                stream(
                        PAYMENTS,
                        "id",
                        "integer",
                        "order_id",
                        "integer",
                        "payment_method",
                        "string",
                        "amount",
                        "number",
                        "status",
                        "string",
                        "created_at",
                        "date-time",
                        "updated_at",
                        "date-time"));
    }

    private static SandboxStream stream(String name, String... columnsAndTypes) {
        Map<String, String> columns = new LinkedHashMap<>();
        for (int i = 0; i < columnsAndTypes.length; i += 2) {
            columns.put(columnsAndTypes[i], columnsAndTypes[i + 1]);
        }
        return new SandboxStream(SCHEMA, name, columns, "updated_at", "id");
    }

    /**
     * Writes the tables named in {@code tables} (all three when a script sets no per-stream
     * records) and returns the rows written per table, which the job reports as its stream stats.
     */
    @Override
    public Map<String, Long> load(
            SandboxConnection connection,
            long jobId,
            int generation,
            boolean badData,
            Set<String> tables)
            throws SQLException {
        Map<String, Long> written = new LinkedHashMap<>();
        try (Connection db = DriverManager.getConnection(url, user, password)) {
            db.setAutoCommit(false);
            createTables(db);
            Row row = new Row(generation, Timestamp.from(Instant.now()), jobId);
            if (tables.contains(CUSTOMERS)) {
                written.put(CUSTOMERS, loadCustomers(db, row));
            }
            if (tables.contains(ORDERS)) {
                written.put(ORDERS, loadOrders(db, row));
            }
            if (tables.contains(PAYMENTS)) {
                written.put(PAYMENTS, loadPayments(db, row));
            }
            if (badData) {
                breakRows(db, tables);
            }
            db.commit();
        }
        return written;
    }

    /** What every row of one load shares. */
    private record Row(int generation, Timestamp extractedAt, long jobId) {
        String meta() {
            return "{\"changes\":[],\"sync_id\":" + jobId + "}";
        }
    }

    private static long loadCustomers(Connection db, Row row) throws SQLException {
        int customers = customers(row.generation());
        try (PreparedStatement ps =
                db.prepareStatement(
                        "insert into raw_shop.customers (id, first_name, last_name, email,"
                                + " country, created_at, updated_at, _airbyte_raw_id,"
                                + " _airbyte_extracted_at, _airbyte_meta,"
                                + " _airbyte_generation_id) values (?,?,?,?,?,?,?,?,?,?::jsonb,0)"
                                + " on conflict (id) do update set first_name=excluded.first_name,"
                                + " last_name=excluded.last_name, email=excluded.email,"
                                + " country=excluded.country, updated_at=excluded.updated_at,"
                                + AIRBYTE_UPDATES)) {
            for (int id = 1; id <= customers; id++) {
                String first = FIRST[id % FIRST.length];
                String last = LAST[id % LAST.length];
                ps.setLong(1, id);
                ps.setString(2, first);
                ps.setString(3, last);
                ps.setString(4, (first + "." + last + id + "@example.com").toLowerCase());
                ps.setString(5, COUNTRIES[id % COUNTRIES.length]);
                ps.setTimestamp(6, Timestamp.from(EPOCH.plusSeconds(3600L * id)));
                ps.setTimestamp(7, updatedAt(id, row.generation()));
                common(ps, 8, CUSTOMERS, id, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return customers;
    }

    private static long loadOrders(Connection db, Row row) throws SQLException {
        int orders = orders(row.generation());
        try (PreparedStatement order =
                db.prepareStatement(
                        "insert into raw_shop.orders (id, customer_id, order_date,"
                                + " status, amount, currency, updated_at,"
                                + " _airbyte_raw_id, _airbyte_extracted_at,"
                                + " _airbyte_meta, _airbyte_generation_id)"
                                + " values (?,?,?,?,?,?,?,?,?,?::jsonb,0)"
                                + " on conflict (id) do update set"
                                + " customer_id=excluded.customer_id,"
                                + " order_date=excluded.order_date,"
                                + " status=excluded.status, amount=excluded.amount,"
                                + " currency=excluded.currency,"
                                + " updated_at=excluded.updated_at,"
                                + AIRBYTE_UPDATES)) {
            for (int id = 1; id <= orders; id++) {
                order.setLong(1, id);
                order.setLong(2, (id - 1) % customers(1) + 1);
                order.setObject(3, LocalDate.of(2024, 1, 1).plusDays(id));
                order.setString(4, orderStatus(id, row.generation()));
                order.setBigDecimal(5, amount(id));
                order.setString(6, "EUR");
                order.setTimestamp(7, updatedAt(id, row.generation()));
                common(order, 8, ORDERS, id, row);
                order.addBatch();
            }
            order.executeBatch();
        }
        return orders;
    }

    /** One payment per order ({@code payments.id = order_id}), of the order's amount. */
    private static long loadPayments(Connection db, Row row) throws SQLException {
        int orders = orders(row.generation());
        try (PreparedStatement payment =
                db.prepareStatement(
                        "insert into raw_shop.payments (id, order_id, payment_method,"
                                + " amount, status, created_at, updated_at,"
                                + " _airbyte_raw_id, _airbyte_extracted_at,"
                                + " _airbyte_meta, _airbyte_generation_id)"
                                + " values (?,?,?,?,?,?,?,?,?,?::jsonb,0)"
                                + " on conflict (id) do update set"
                                + " order_id=excluded.order_id,"
                                + " payment_method=excluded.payment_method,"
                                + " amount=excluded.amount, status=excluded.status,"
                                + " updated_at=excluded.updated_at,"
                                + AIRBYTE_UPDATES)) {
            for (int id = 1; id <= orders; id++) {
                String status = orderStatus(id, row.generation());
                payment.setLong(1, id);
                payment.setLong(2, id);
                payment.setString(3, METHODS[id % METHODS.length]);
                payment.setBigDecimal(4, amount(id));
                payment.setString(5, status.equals("returned") ? "refunded" : "success");
                payment.setTimestamp(6, Timestamp.from(EPOCH.plusSeconds(86_400L * id + 60)));
                payment.setTimestamp(7, updatedAt(id, row.generation()));
                common(payment, 8, PAYMENTS, id, row);
                payment.addBatch();
            }
            payment.executeBatch();
        }
        return orders;
    }

    /** Each breaks one usual dbt test; the next good sync upserts the same keys back. */
    private static void breakRows(Connection db, Set<String> tables) throws SQLException {
        try (Statement st = db.createStatement()) {
            if (tables.contains(ORDERS)) {
                st.executeUpdate("update raw_shop.orders set customer_id = null where id = 1");
                st.executeUpdate("update raw_shop.orders set customer_id = 999999 where id = 2");
            }
            if (tables.contains(PAYMENTS)) {
                st.executeUpdate("update raw_shop.payments set amount = -42.00 where id = 3");
            }
        }
    }

    private static String orderStatus(int id, int generation) {
        return ORDER_STATUS[(id + generation - 1) % ORDER_STATUS.length];
    }

    @Override
    public void clear(SandboxConnection connection) throws SQLException {
        try (Connection db = DriverManager.getConnection(url, user, password);
                Statement st = db.createStatement()) {
            createTables(db);
            st.executeUpdate("truncate raw_shop.customers, raw_shop.orders, raw_shop.payments");
        }
    }

    private static BigDecimal amount(int id) {
        return BigDecimal.valueOf((id * 37L) % 200 + 5).add(BigDecimal.valueOf(id % 100, 2));
    }

    /** Changes with each generation, so incremental models see every row as updated. */
    private static Timestamp updatedAt(int id, int generation) {
        return Timestamp.from(EPOCH.plusSeconds(86_400L * id + 60L * generation));
    }

    private static void common(PreparedStatement ps, int index, String table, int id, Row row)
            throws SQLException {
        UUID rawId = UUID.nameUUIDFromBytes((table + ":" + id + ":" + row.generation()).getBytes());
        ps.setObject(index, rawId, Types.OTHER);
        ps.setTimestamp(index + 1, row.extractedAt());
        ps.setString(index + 2, row.meta());
    }

    private static void createTables(Connection db) throws SQLException {
        String airbyte =
                ", _airbyte_raw_id uuid not null, _airbyte_extracted_at timestamptz not null,"
                        + " _airbyte_meta jsonb not null, _airbyte_generation_id bigint)";
        try (Statement st = db.createStatement()) {
            st.execute("create schema if not exists raw_shop");
            st.execute(
                    "create table if not exists raw_shop.customers (id bigint primary key,"
                            + " first_name text, last_name text, email text, country text,"
                            + " created_at timestamptz, updated_at timestamptz"
                            + airbyte);
            st.execute(
                    "create table if not exists raw_shop.orders (id bigint primary key,"
                            + " customer_id bigint, order_date date, status text,"
                            + " amount numeric(12,2), currency text, updated_at timestamptz"
                            + airbyte);
            st.execute(
                    "create table if not exists raw_shop.payments (id bigint primary key,"
                            + " order_id bigint, payment_method text, amount numeric(12,2),"
                            + " status text, created_at timestamptz, updated_at timestamptz"
                            + airbyte);
        }
        if (!db.getAutoCommit()) {
            db.commit();
        }
    }
}
