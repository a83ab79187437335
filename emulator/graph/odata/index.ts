/** The OData query layer: $filter parsing (parse.ts), compiling against a schema (compile.ts), other options (options.ts). */
export { ODataError } from "./parse";
export { compileFilter, type CompiledFilter, type Predicate, type PropSpec, type PropType, type Schema } from "./compile";
export { parseOrderBy, parseSelect, parseTop, type OrderBy } from "./options";
