#!/usr/bin/env node
// Extracts the AWS provider schema from the prebuilt CDK provider bindings (`@cdktn/provider-aws`).
//
// Usage:
//   node tools/schema/extract.mjs <unpacked-package-dir> [types.txt] [output.json]
//     the subset listed in types.txt, in infra-core's own format (`infra-core/schema/aws-provider.json`);
//   node tools/schema/extract.mjs <unpacked-package-dir> --all <output.json>
//     every resource and data source, in the standard `terraform providers schema -json` format
//     (what tools/codegen reads).
//
// The bindings are generated code. Every `lib/<dir>/index.js` carries an inline source map whose
// `sourcesContent` is the generated TypeScript; that text is regular enough to read with regular
// expressions, and every rule below fails loudly when the text does not look as expected, so a
// change in the generator shows up as an error instead of a silently wrong schema.
//
// See tools/schema/README.md for what the bindings can and cannot tell.

import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, "..", "..");
const BINDINGS_NAME = "@cdktn/provider-aws";
const BINDINGS_VERSION = "25.7.0";
const PROVIDER_SOURCE = "hashicorp/aws";

// Blocks nested more than this many levels below the resource are not expanded: the block keeps
// its nesting and item counts, with a single `dynamic` attribute named `*` as its body. Nothing in
// the current type list reaches it (the deepest is 5 levels, aws_wafv2_web_acl
// rule.action.count.custom_request_handling.insert_header); it guards against a generator change
// that would make the file explode. In `--all` mode such a block becomes an attribute of type
// `dynamic` instead (as the bindings themselves do for the recursive `statement` of
// aws_wafv2_web_acl); only the recursive `statement` of aws_wafv2_web_acl_rule reaches it.
const MAX_BLOCK_DEPTH = 8;
let cutAsDynamic = false;

function fail(message) {
  console.error(`extract: ${message}`);
  process.exit(1);
}

const USAGE =
  "usage: node tools/schema/extract.mjs <unpacked-package-dir> [types.txt] [output.json]\n" +
  "       node tools/schema/extract.mjs <unpacked-package-dir> --all <output.json>";

function main() {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return;
  }
  const all = argv[1] === "--all";
  if (all && argv.length !== 3) fail(USAGE);
  const [pkgDir, typesFile = path.join(HERE, "types.txt"), outFile = path.join(REPO, "infra-core", "schema", "aws-provider.json")] =
    all ? [argv[0], null, argv[2]] : argv;
  if (!pkgDir) fail(USAGE);
  cutAsDynamic = all;

  const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8"));
  if (pkg.name !== BINDINGS_NAME || pkg.version !== BINDINGS_VERSION) {
    fail(`expected ${BINDINGS_NAME}@${BINDINGS_VERSION}, found ${pkg.name}@${pkg.version}`);
  }
  const providerMeta = (pkg.cdktn ?? pkg.cdktf)?.provider;
  if (!providerMeta || !providerMeta.name.endsWith(`/${PROVIDER_SOURCE}`)) {
    fail("package.json does not name the hashicorp/aws provider it was generated from");
  }

  const libDir = path.join(pkgDir, "lib");
  const index = new DirIndex(libDir);
  const wanted = all
    ? index.allTypes()
    : fs
        .readFileSync(typesFile, "utf8")
        .split("\n")
        .map((line) => line.replace(/#.*/, "").trim())
        .filter(Boolean);
  const duplicates = wanted.filter((t, i) => wanted.indexOf(t) !== i);
  if (duplicates.length) fail(`duplicate entries in ${typesFile}: ${duplicates.join(", ")}`);

  const out = {
    format_version: "1",
    provider: {
      bindings: `${BINDINGS_NAME}@${BINDINGS_VERSION}`,
      config: null,
      source: PROVIDER_SOURCE,
      version: providerMeta.version,
    },
    resources: {},
    data_sources: {},
  };

  out.provider.config = new Module(path.join(libDir, "provider", "index.js"), "provider").mainBlock("TerraformProvider");

  const missing = [];
  for (const entry of wanted) {
    const isData = entry.startsWith("data.");
    const typeName = isData ? entry.slice("data.".length) : entry;
    const dir = index.find(typeName, isData);
    if (!dir) {
      missing.push(entry);
      continue;
    }
    const module = new Module(path.join(libDir, dir, "index.js"), entry);
    const block = module.mainBlock(isData ? "TerraformDataSource" : "TerraformResource");
    (isData ? out.data_sources : out.resources)[typeName] = block;
  }
  if (missing.length) fail(`not found in the bindings: ${missing.join(", ")}`);

  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const text = all ? JSON.stringify(sortKeys(terraformFormat(out))) : formatJson(sortKeys(out));
  fs.writeFileSync(outFile, text + "\n");
  const size = fs.statSync(outFile).size;
  console.log(`wrote ${outFile} (${size} bytes, ${Object.keys(out.resources).length} resources, ${Object.keys(out.data_sources).length} data sources)`);
}

// Finds the `lib/<dir>` of a Terraform type: first by the generator's naming convention, then by
// scanning every module for its `tfResourceType`.
class DirIndex {
  constructor(libDir) {
    this.libDir = libDir;
    this.scanned = null;
  }

  find(typeName, isData) {
    const guess = (isData ? "data-" : "") + typeName.replace(/^aws_/, isData ? "aws_" : "").replaceAll("_", "-");
    if (this.matches(guess, typeName, isData)) return guess;
    if (!this.scanned) {
      this.scanned = new Map();
      for (const dir of fs.readdirSync(this.libDir)) {
        const file = path.join(this.libDir, dir, "index.js");
        if (!fs.existsSync(file)) continue;
        const m = fs.readFileSync(file, "utf8").match(/static tfResourceType = "([a-z0-9_]+)";/);
        if (m) this.scanned.set(`${dir.startsWith("data-") ? "data." : ""}${m[1]}`, dir);
      }
    }
    return this.scanned.get(`${isData ? "data." : ""}${typeName}`) ?? null;
  }

  // Every resource and data source of the package (`data.` marks a data source), sorted;
  // ephemeral resources and functions are left out.
  allTypes() {
    const types = [];
    for (const dir of fs.readdirSync(this.libDir).sort()) {
      const file = path.join(this.libDir, dir, "index.js");
      if (!fs.existsSync(file)) continue;
      const text = fs.readFileSync(file, "utf8");
      const name = text.match(/static tfResourceType = "([a-z0-9_]+)";/)?.[1];
      if (!name) continue;
      if (text.includes("extends cdktn.TerraformResource {")) types.push(name);
      else if (text.includes("extends cdktn.TerraformDataSource {")) types.push(`data.${name}`);
    }
    return types.sort();
  }

  matches(dir, typeName, isData) {
    const file = path.join(this.libDir, dir, "index.js");
    if (!fs.existsSync(file)) return false;
    const text = fs.readFileSync(file, "utf8");
    const kind = isData ? "TerraformDataSource" : "TerraformResource";
    return text.includes(`static tfResourceType = "${typeName}";`) && text.includes(`extends cdktn.${kind}`);
  }
}

// One generated module: the TypeScript recovered from the inline source map, cut into its
// top-level declarations.
class Module {
  constructor(jsFile, label) {
    this.label = label;
    // Large modules keep their structs in `index-structs/structs<N>.js`, each with its own map.
    const structsDir = path.join(path.dirname(jsFile), "index-structs");
    const files = [jsFile];
    if (fs.existsSync(structsDir)) {
      for (const f of fs.readdirSync(structsDir).sort()) if (/^structs\d+\.js$/.test(f)) files.push(path.join(structsDir, f));
    }
    const sources = files.map((file) => {
      const js = fs.readFileSync(file, "utf8");
      const m = js.match(/sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/);
      if (!m) fail(`${label}: ${file} has no inline source map`);
      const map = JSON.parse(Buffer.from(m[1], "base64").toString("utf8"));
      const ts = map.sourcesContent?.[0];
      if (!ts) fail(`${label}: the source map of ${file} carries no source text`);
      return ts;
    });

    this.interfaces = new Map(); // name -> Map(camel -> {optional})
    this.hcl = new Map(); // struct interface name (from the function name) -> [HclEntry]
    this.classes = new Map(); // name -> {base, body}
    for (const decl of sources.flatMap((ts) => [...topLevelDeclarations(ts)])) {
      let d;
      if ((d = decl.match(/^export interface (\w+)(?: extends [\w.]+)? \{/))) {
        const fields = new Map();
        for (const f of decl.matchAll(/^  readonly (\w+)(\??): /gm)) fields.set(f[1], { optional: f[2] === "?" });
        this.interfaces.set(d[1], fields);
      } else if ((d = decl.match(/^export function (\w+)ToHclTerraform\(struct\?: /))) {
        const name = d[1][0].toUpperCase() + d[1].slice(1);
        this.hcl.set(name, parseHclEntries(decl, `${label}: ${name}`));
      } else if ((d = decl.match(/^export class (\w+) extends cdktn\.(\w+) \{/))) {
        this.classes.set(d[1], { base: d[2], body: decl });
      }
    }
  }

  // The block of the one class extending `cdktn.<base>`.
  mainBlock(base) {
    const mains = [...this.classes].filter(([, c]) => c.base === base);
    if (mains.length !== 1) fail(`${this.label}: expected one class extending cdktn.${base}, found ${mains.length}`);
    const [className, cls] = mains[0];
    const m = cls.body.match(/protected synthesizeHclAttributes\(\): \{ \[name: string\]: any \} \{\n([\s\S]*?)\n  \}\n/);
    if (!m) fail(`${this.label}: ${className} has no synthesizeHclAttributes`);
    const entries = parseHclEntries(m[1], `${this.label}: ${className}`);
    // The config interface is usually `<Class>Config`, but the generator renames it on a clash.
    const config = cls.body.match(/constructor\(scope: Construct, id: string, config(?:\?)?: (\w+)/);
    if (!config) fail(`${this.label}: cannot find the config interface of ${className}`);
    return this.block(config[1], className, entries, 1);
  }

  // A block from the HCL entries of a struct (its inputs) and the property comments of the class
  // that reads it back (inputs and computed-only outputs with their flags).
  block(interfaceName, className, entries, depth) {
    const where = `${this.label}: ${interfaceName}`;
    const fields = this.interfaces.get(interfaceName);
    if (!fields) fail(`${where}: interface not found`);
    const props = className ? this.properties(className) : new Map();
    const result = { attributes: {}, blocks: {} };

    for (const e of entries) {
      let flags = props.get(e.name);
      if (!flags) {
        // No class reads this struct back (the provider's own blocks): optionality comes from
        // the interface, and nothing is computed.
        const camel = e.value.match(/(?:struct!\.|this\._)(\w+)\b/)?.[1];
        const field = camel && fields.get(camel);
        if (!field) fail(`${where}: cannot find the field behind \`${e.name}\``);
        flags = { computed: false, optional: field.optional, required: !field.optional };
      }
      if (!e.isBlock) {
        result.attributes[e.name] = attr(primitiveType(e, where), flags);
        continue;
      }
      const hash = e.value.match(/^cdktn\.hashMapperHcl\((\w+)ToHclTerraform\)/);
      if (hash) {
        // A map of objects (`locale_specification` of aws_lexv2models_bot_version): an attribute.
        const nested = hash[1][0].toUpperCase() + hash[1].slice(1);
        const nestedEntries = this.hcl.get(nested);
        if (!nestedEntries) fail(`${where}: no ToHclTerraform function for ${nested}`);
        result.attributes[e.name] = attr(["map", ["object", this.objectType(nested, nestedEntries)]], flags);
        continue;
      }
      const list = e.value.match(/^cdktn\.listMapperHcl\((\w+)ToHclTerraform, (true|false)\)/);
      const single = e.value.match(/^(\w+)ToHclTerraform\(/);
      const fn = list?.[1] ?? single?.[1];
      if (!fn) fail(`${where}: unrecognised block mapping for \`${e.name}\`: ${e.value}`);
      const nested = fn[0].toUpperCase() + fn.slice(1);
      const nestedEntries = this.hcl.get(nested);
      if (!nestedEntries) fail(`${where}: no ToHclTerraform function for ${nested}`);
      const collection = e.type === "struct" ? "single" : e.type;
      if (!["list", "set", "single"].includes(collection)) fail(`${where}: \`${e.name}\` has block type ${e.type}`);

      if (list && list[2] === "false") {
        // An attribute of a list/set-of-object type that the bindings let users write as a
        // block (for example `ingress` of aws_security_group).
        if (collection === "single") fail(`${where}: \`${e.name}\` is a single object attribute`);
        result.attributes[e.name] = attr([collection, ["object", this.objectType(nested, nestedEntries)]], flags);
        continue;
      }
      if (depth > MAX_BLOCK_DEPTH && cutAsDynamic) {
        result.attributes[e.name] = attr("dynamic", flags);
        continue;
      }
      const nestedClass = this.classes.has(`${nested}OutputReference`) ? `${nested}OutputReference` : null;
      result.blocks[e.name] = {
        nesting: collection,
        min_items: flags.required ? 1 : 0,
        // A block the bindings model as one object (not an array) has max_items = 1 in the
        // provider schema; for an array the bound is unknown, so it is recorded as unbounded.
        max_items: single ? 1 : null,
        block:
          depth > MAX_BLOCK_DEPTH
            ? { attributes: { "*": { computed: false, optional: true, required: false, type: "dynamic" } }, blocks: {} }
            : this.block(nested, nestedClass, nestedEntries, depth + 1),
      };
    }

    // Whatever the class reads back that is not an input is a computed-only attribute.
    for (const [name, p] of props) {
      if (name in result.attributes || name in result.blocks) continue;
      if (!(p.computed && !p.optional && !p.required)) {
        fail(`${where}: \`${name}\` is an input in ${className} but has no HCL entry`);
      }
      result.attributes[name] = attr(this.getterType(p, `${where}.${name}`), p);
    }
    return result;
  }

  // `// name - computed: a, optional: b, required: c` comments of a class, with the code that
  // follows each one (up to the next comment), used to type computed-only attributes.
  properties(className) {
    const cls = this.classes.get(className);
    if (!cls) fail(`${this.label}: class ${className} not found`);
    const props = new Map();
    const re = /^  \/\/ (\w+) - computed: (true|false), optional: (true|false), required: (true|false)\n/gm;
    const matches = [...cls.body.matchAll(re)];
    matches.forEach((m, i) => {
      const end = i + 1 < matches.length ? matches[i + 1].index : cls.body.length;
      props.set(m[1], {
        computed: m[2] === "true",
        optional: m[3] === "true",
        required: m[4] === "true",
        code: cls.body.slice(m.index + m[0].length, end),
      });
    });
    return props;
  }

  // The type of a computed-only attribute, from its getter.
  getterType(p, where) {
    const code = p.code;
    let m;
    if ((m = code.match(/= new (\w+)List\(this, "\w+", (true|false)\);/))) {
      const element = `${m[1]}OutputReference`;
      return [m[2] === "true" ? "set" : "list", ["object", this.computedObjectType(element, where)]];
    }
    if ((m = code.match(/= new (\w+)OutputReference\(this, "\w+"\);/))) {
      return ["object", this.computedObjectType(`${m[1]}OutputReference`, where)];
    }
    if ((m = code.match(/= new cdktn\.(String|Number|Boolean|Any)Map\(this, "\w+"\);/))) {
      return ["map", { String: "string", Number: "number", Boolean: "bool", Any: "dynamic" }[m[1]]];
    }
    const getters = [
      [/return cdktn\.Fn\.tolist\(this\.getListAttribute\(/, ["set", "string"]],
      [/return cdktn\.Fn\.tolist\(this\.getNumberListAttribute\(/, ["set", "number"]],
      [/return cdktn\.Token\.asNumberList\(cdktn\.Fn\.tolist\(this\.getNumberListAttribute\(/, ["set", "number"]],
      [/return this\.getListAttribute\(/, ["list", "string"]],
      [/return this\.getNumberListAttribute\(/, ["list", "number"]],
      [/return this\.getStringAttribute\(/, "string"],
      [/return this\.getNumberAttribute\(/, "number"],
      [/return this\.getBooleanAttribute\(/, "bool"],
      [/return this\.getStringMapAttribute\(/, ["map", "string"]],
      [/return this\.getNumberMapAttribute\(/, ["map", "number"]],
      [/return this\.getBooleanMapAttribute\(/, ["map", "bool"]],
      [/return this\.getAnyMapAttribute\(/, ["map", "dynamic"]],
      [/return this\.interpolationForAttribute\(/, "dynamic"],
    ];
    for (const [re, type] of getters) if (re.test(code)) return type;
    fail(`${where}: unrecognised getter:\n${code}`);
  }

  // The object type read back by an OutputReference class whose properties are all computed.
  computedObjectType(className, where) {
    const fields = {};
    for (const [name, p] of this.properties(className)) fields[name] = this.getterType(p, `${where}.${name}`);
    return fields;
  }

  // The object type of an attribute-as-block struct, from its HCL entries.
  objectType(interfaceName, entries) {
    const where = `${this.label}: ${interfaceName}`;
    const fields = {};
    for (const e of entries) {
      if (!e.isBlock) {
        fields[e.name] = primitiveType(e, where);
        continue;
      }
      const m = e.value.match(/^cdktn\.listMapperHcl\((\w+)ToHclTerraform, false\)/);
      if (!m || !["list", "set"].includes(e.type)) fail(`${where}: unrecognised nested object \`${e.name}\``);
      const nested = m[1][0].toUpperCase() + m[1].slice(1);
      fields[e.name] = [e.type, ["object", this.objectType(nested, this.hcl.get(nested))]];
    }
    return fields;
  }
}

// The standard `terraform providers schema -json` layout of what `main` collected: flags that
// are false and item counts that are 0 or unknown are left out, as Terraform leaves them out.
// Resource schema versions are not in the bindings and are written as 0.
function terraformFormat(out) {
  const block = (b) => {
    const result = {};
    const attributes = {};
    for (const [name, a] of Object.entries(b.attributes)) {
      const t = { type: a.type };
      for (const flag of ["required", "optional", "computed"]) if (a[flag]) t[flag] = true;
      attributes[name] = t;
    }
    if (Object.keys(attributes).length) result.attributes = attributes;
    const blockTypes = {};
    for (const [name, nb] of Object.entries(b.blocks)) {
      const t = { nesting_mode: nb.nesting, block: block(nb.block) };
      if (nb.min_items) t.min_items = nb.min_items;
      if (nb.max_items && nb.nesting !== "single") t.max_items = nb.max_items;
      blockTypes[name] = t;
    }
    if (Object.keys(blockTypes).length) result.block_types = blockTypes;
    return result;
  };
  const schemas = (types) => Object.fromEntries(Object.entries(types).map(([n, b]) => [n, { version: 0, block: block(b) }]));
  return {
    format_version: "1.0",
    provider_schemas: {
      [`registry.terraform.io/${out.provider.source}`]: {
        provider: { version: 0, block: block(out.provider.config) },
        resource_schemas: schemas(out.resources),
        data_source_schemas: schemas(out.data_sources),
      },
    },
  };
}

function attr(type, flags) {
  return { computed: flags.computed, optional: flags.optional, required: flags.required, type };
}

// The type of a non-block HCL entry, from the generator's `type` and `storageClassType`.
function primitiveType(e, where) {
  const scalar = { string: "string", number: "number", boolean: "bool", any: "dynamic" };
  if (e.type === "simple" && scalar[e.storageClassType]) return scalar[e.storageClassType];
  const m = e.storageClassType.match(/^(string|number|boolean|any)(List|Map)?(List|Map)$/);
  if (m) {
    // `stringMapList` is a list of maps of strings; the bindings do not tell an inner list from
    // an inner set, so an inner collection is recorded as a list.
    const element = m[2] ? [m[2] === "List" ? "list" : "map", scalar[m[1]]] : scalar[m[1]];
    if (m[3] === "List" && (e.type === "list" || e.type === "set")) return [e.type, element];
    if (m[3] === "Map" && e.type === "map") return ["map", element];
  }
  fail(`${where}: unrecognised type for \`${e.name}\`: type ${e.type}, storageClassType ${e.storageClassType}`);
}

// `name: { value: …, isBlock: …, type: "…", storageClassType: "…" },` entries.
function parseHclEntries(text, where) {
  const re =
    /^\s+(\w+): \{\n\s+value: ([^\n]*),\n\s+isBlock: (true|false),\n\s+type: "(\w+)",\n\s+storageClassType: "(\w+)",\n\s+\},?$/gm;
  const entries = [...text.matchAll(re)].map((m) => ({
    name: m[1],
    value: m[2].replace(/^struct!\.\w+ === undefined \? null : /, ""),
    isBlock: m[3] === "true",
    type: m[4],
    storageClassType: m[5],
  }));
  const declared = (text.match(/^\s+\w+: \{\n\s+value:/gm) ?? []).length;
  if (entries.length !== declared) fail(`${where}: parsed ${entries.length} of ${declared} HCL entries`);
  return entries;
}

// Top-level `export …` declarations: from an `export` line to the next line that is `}`.
function* topLevelDeclarations(ts) {
  const lines = ts.split("\n");
  let current = null;
  for (const line of lines) {
    if (current === null) {
      if (/^export (interface|function|class) /.test(line)) current = [line];
      continue;
    }
    current.push(line);
    if (line === "}") {
      yield current.join("\n");
      current = null;
    }
  }
}

function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys(value[k])]),
    );
  }
  return value;
}

// Stable, diff-friendly JSON: two-space indentation, but an attribute (an object whose values
// are all scalars or types) and a type stay on one line.
function formatJson(value, indent = "") {
  if (isLeaf(value)) return JSON.stringify(value).replaceAll('":', '": ').replaceAll(/,(?=["\[{])/g, ", ");
  const inner = indent + "  ";
  if (Array.isArray(value)) return `[\n${value.map((v) => inner + formatJson(v, inner)).join(",\n")}\n${indent}]`;
  const keys = Object.keys(value);
  if (keys.length === 0) return "{}";
  return `{\n${keys.map((k) => `${inner}${JSON.stringify(k)}: ${formatJson(value[k], inner)}`).join(",\n")}\n${indent}}`;
}

function isLeaf(value) {
  if (value === null || typeof value !== "object") return true;
  if (Array.isArray(value)) return true; // a TYPE such as ["list", "string"]
  return "type" in value && "required" in value; // an attribute
}

main();
