// A pg_dump --data-only style seed of about `mb` megabytes: pg_dump's header (with \restrict),
// SET lines, three tables' COPY blocks with escapes and NULLs, setval calls, \unrestrict.
import { createWriteStream } from "node:fs";

export const SEED_SCHEMA = `create table public.orders (id bigint primary key, customer text not null, note text, amount numeric(12,2), created_at timestamptz);
create table public.order_lines (order_id bigint not null, line int not null, sku text not null, qty int, price numeric(12,2), primary key (order_id, line));
create table public.customers (id bigint primary key, name text, email text, bio text);
create sequence public.orders_id_seq;
`;

export async function writeSeedFile(file, mb) {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  const write = async (text) => {
    if (!out.write(text)) await new Promise((resolve) => out.once("drain", resolve));
  };
  await write("--\n-- PostgreSQL database dump\n--\n\n\\restrict bench0123456789\n\n-- Dumped from database version 17\n\nSET statement_timeout = 0;\nSET lock_timeout = 0;\nSET client_encoding = 'UTF8';\nSET standard_conforming_strings = on;\nSELECT pg_catalog.set_config('search_path', '', false);\nSET check_function_bodies = false;\nSET client_min_messages = warning;\nSET row_security = off;\n\n");
  const target = mb * 1024 * 1024;
  // Row sizes as written (about 65, 61 and 33 bytes), so the file comes out near `mb`.
  let written = 0;
  const block = async (header, row, count) => {
    await write(`--\n-- Data for Name: x; Type: TABLE DATA\n--\n\n${header}\n`);
    let chunk = "";
    for (let i = 1; i <= count; i++) {
      chunk += row(i);
      if (chunk.length > 65536) {
        written += chunk.length;
        await write(chunk);
        chunk = "";
      }
    }
    written += chunk.length;
    await write(`${chunk}\\.\n\n\n`);
  };
  const rowsFor = (share, rowBytes) => Math.max(1, Math.floor((target * share) / rowBytes));
  await block("COPY public.customers (id, name, email, bio) FROM stdin;", (i) => `${i}\tcustomer ${i}\tc${i}@example.com\t${i % 9 === 0 ? "\\N" : `bio with a tab\\there and a newline\\nand é ${i}`}\n`, rowsFor(0.2, 65));
  await block("COPY public.orders (id, customer, note, amount, created_at) FROM stdin;", (i) => `${i}\tcustomer ${i % 1000}\t${i % 5 === 0 ? "\\N" : "note \\\\ backslash"}\t${(i % 997) + 0.5}\t2024-01-01 00:00:00+00\n`, rowsFor(0.4, 61));
  await block("COPY public.order_lines (order_id, line, sku, qty, price) FROM stdin;", (i) => `${Math.ceil(i / 3)}\t${i % 3}\tSKU-${i % 5000}\t${i % 7}\t${(i % 89) + 0.25}\n`, rowsFor(0.4, 33));
  await write("SELECT pg_catalog.setval('public.orders_id_seq', 42, true);\n\n--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict bench0123456789\n\n");
  await new Promise((resolve) => out.end(resolve));
  return written;
}
