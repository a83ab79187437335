import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { DataTable, dataTableColumnHelper, type DataTableProps } from "./data-table";

/**
 * A server render measures nothing, so the virtualizer is replaced by one that "shows" rows [first, last]: what matters
 * here is the markup around them (the scrolling itself is TanStack Virtual's).
 */
const visible = { first: 0, last: Number.POSITIVE_INFINITY };
vi.mock("@tanstack/react-virtual", () => ({
  useVirtualizer: ({ count, estimateSize }: { count: number; estimateSize: () => number }) => {
    const size = estimateSize();
    const items: { index: number; key: number; start: number; end: number; size: number; lane: number }[] = [];
    for (let index = visible.first; index <= Math.min(visible.last, count - 1); index++) {
      items.push({ index, key: index, start: index * size, end: (index + 1) * size, size, lane: 0 });
    }
    return { getVirtualItems: () => items, getTotalSize: () => count * size, scrollOffset: 0, scrollToIndex: () => {} };
  },
}));

interface Fruit {
  id: string;
  name: string;
  colour: string;
}

const FRUIT: Fruit[] = [
  { id: "a", name: "Apple", colour: "red" },
  { id: "b", name: "Banana", colour: "yellow" },
  { id: "c", name: "Cherry", colour: "dark red" },
];

const column = dataTableColumnHelper<Fruit>();
const COLUMNS = column.columns([
  column.accessor("name", { header: "Name", cell: ({ row }) => row.original.name }),
  column.display({
    id: "colour",
    header: "Colour",
    cell: ({ row }) => row.original.colour,
    meta: { cellClassName: "px-3 italic", cellTitle: (fruit: Fruit) => `It is ${fruit.colour}`, headerClassName: "w-20" },
  }),
]);

function render(props: Partial<DataTableProps<Fruit>> = {}) {
  const html = renderToStaticMarkup(
    createElement(DataTable<Fruit>, {
      label: "Fruit",
      columns: COLUMNS,
      data: FRUIT,
      getRowId: (fruit) => fruit.id,
      rowHeight: 40,
      scrollClassName: "h-72 overflow-auto",
      cellClassName: "px-2",
      rowClassName: "border-t",
      rowAttributes: (fruit) => ({ "data-fruit": fruit.id }),
      ...props,
    }),
  );
  return new Markup(html);
}

/** Just enough of a DOM to read the rendered markup back (the tests run in node). */
class Markup {
  constructor(readonly html: string) {}
  /** Every opening tag named `tag`, as its attribute string. */
  tags(tag: string): string[] {
    return [...this.html.matchAll(new RegExp(`<${tag}(\\s[^>]*?)?\\/?>`, "g"))].map((m) => m[1] ?? "");
  }
  /** The text inside each `tag` element (no nesting of the same tag). */
  texts(tag: string): string[] {
    return [...this.html.matchAll(new RegExp(`<${tag}(?:\\s[^>]*)?>(.*?)</${tag}>`, "g"))].map((m) => m[1]!.replace(/<[^>]+>/g, ""));
  }
}

const attr = (tag: string, name: string) => tag.match(new RegExp(`\\s${name}="([^"]*)"`))?.[1];

beforeEach(() => {
  visible.first = 0;
  visible.last = Number.POSITIVE_INFINITY;
});

describe("DataTable", () => {
  it("is a labelled table whose rows say where they are in the whole", () => {
    const dom = render();
    const [table] = dom.tags("table");
    expect(attr(table!, "aria-label")).toBe("Fruit");
    expect(attr(table!, "aria-rowcount")).toBe("4");
    const rows = dom.tags("tr");
    expect(rows.map((r) => attr(r, "aria-rowindex"))).toEqual(["1", "2", "3", "4"]);
    expect(rows.slice(1).map((r) => attr(r, "data-fruit"))).toEqual(["a", "b", "c"]);
    expect(dom.texts("th")).toEqual(["Name", "Colour"]);
    expect(dom.tags("th").every((th) => attr(th, "scope") === "col")).toBe(true);
  });

  it("keeps one row in the tab order and the others reachable by the arrow keys", () => {
    const rows = render().tags("tr").slice(1);
    expect(rows.map((r) => attr(r, "tabindex"))).toEqual(["0", "-1", "-1"]);
  });

  it("puts the header in a sticky row by default, or only before assistive technology", () => {
    expect(attr(render().tags("thead")[0]!, "class")).toContain("sticky top-0");
    const hidden = render({ header: "visually-hidden" });
    expect(attr(hidden.tags("thead")[0]!, "class")).toBeUndefined();
    expect(hidden.tags("th").map((th) => attr(th, "class"))).toEqual(["p-0", "p-0"]);
    expect(hidden.html).toContain('<span class="sr-only">Name</span>');
  });

  it("styles cells from the table, or from their column", () => {
    const dom = render();
    const cells = dom.tags("td");
    expect(cells.slice(0, 2).map((td) => attr(td, "class"))).toEqual(["px-2", "px-3 italic"]);
    expect(attr(cells[1]!, "title")).toBe("It is red");
    expect(attr(cells[0]!, "title")).toBeUndefined();
    expect(attr(dom.tags("th")[1]!, "class")).toContain("w-20");
    expect(dom.tags("colgroup")).toHaveLength(0);
  });

  it("renders a colgroup when a column sets a width", () => {
    const widths = column.columns([
      column.display({ id: "name", header: "Name", cell: ({ row }) => row.original.name, meta: { colClassName: "w-1/2" } }),
      column.display({ id: "colour", header: "Colour", cell: ({ row }) => row.original.colour }),
    ]);
    const cols = render({ columns: widths }).tags("col");
    expect(cols.map((c) => attr(c, "class"))).toEqual(["w-1/2", undefined]);
  });

  it("offers sort buttons on sortable columns only when it has sort, and says the order", () => {
    expect(render().tags("button")).toHaveLength(0);
    expect(render().tags("th").map((th) => attr(th, "aria-sort"))).toEqual([undefined, undefined]);

    const onSortChange = vi.fn();
    const unsorted = render({ sort: { state: null, onSortChange } });
    expect(unsorted.tags("button")).toHaveLength(1);
    expect(unsorted.tags("th").map((th) => attr(th, "aria-sort"))).toEqual(["none", undefined]);
    expect(unsorted.texts("button")).toEqual(["Name"]);

    const asc = render({ sort: { state: { columnId: "name", direction: "asc" }, onSortChange } });
    expect(attr(asc.tags("th")[0]!, "aria-sort")).toBe("ascending");
    const desc = render({ sort: { state: { columnId: "name", direction: "desc" }, onSortChange } });
    expect(attr(desc.tags("th")[0]!, "aria-sort")).toBe("descending");
    // The rows keep the order they came in: sorting is the caller's.
    expect(desc.tags("tr").slice(1).map((r) => attr(r, "data-fruit"))).toEqual(["a", "b", "c"]);
  });

  it("adds a checkbox column for selection, with the caller's labels and state", () => {
    const dom = render({
      selection: {
        isSelected: (id) => id === "b",
        allState: "indeterminate",
        onToggleRow: () => {},
        onToggleAll: () => {},
        allLabel: "Select all fruit",
        rowLabel: (fruit) => `Select ${fruit.name}`,
      },
      rowClassName: (_, { selected }) => (selected ? "bg-selected" : "plain"),
    });
    const boxes = dom.tags("button");
    expect(boxes.map((b) => attr(b, "aria-label"))).toEqual(["Select all fruit", "Select Apple", "Select Banana", "Select Cherry"]);
    expect(boxes.map((b) => attr(b, "aria-checked"))).toEqual(["mixed", "false", "true", "false"]);
    expect(boxes.every((b) => attr(b, "role") === "checkbox")).toBe(true);
    expect(dom.tags("tr").slice(1).map((r) => attr(r, "class")?.split(" ")[0])).toEqual(["plain", "bg-selected", "plain"]);
    expect(attr(dom.tags("th")[0]!, "class")).toContain("w-10");
    expect(dom.tags("td")).toHaveLength(9);
  });

  it("renders only the rows on screen, between hidden spacers", () => {
    visible.first = 1;
    visible.last = 1;
    const dom = render();
    const rows = dom.tags("tr");
    expect(rows.map((r) => attr(r, "aria-hidden") ?? attr(r, "aria-rowindex"))).toEqual(["1", "true", "3", "true"]);
    expect(dom.html).toContain('colSpan="2" style="height:40px"');
    // The row on screen takes Tab when the last one focused is not rendered.
    expect(attr(rows[2]!, "tabindex")).toBe("0");
  });

  it("shows the empty or loading slot across the table when there are no rows", () => {
    const empty = render({ data: [], emptyState: "No fruit", loadingState: "Loading fruit…" });
    expect(empty.texts("td")).toEqual(["No fruit"]);
    expect(attr(empty.tags("td")[0]!, "colSpan")).toBe("2");
    expect(attr(empty.tags("table")[0]!, "aria-rowcount")).toBe("2");
    const loading = render({ data: [], emptyState: "No fruit", loadingState: "Loading fruit…", loading: true });
    expect(loading.texts("td")).toEqual(["Loading fruit…"]);
    const none = render({ data: [] });
    expect(none.tags("td")).toHaveLength(0);
    expect(attr(none.tags("table")[0]!, "aria-rowcount")).toBe("1");
  });
});
