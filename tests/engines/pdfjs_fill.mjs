// Fill a kit's PDF form with pdf.js (Firefox's PDF engine), the way the Firefox viewer does, and save it.
//
//   node pdfjs_fill.mjs SOURCE.pdf TARGET.pdf [SPEC.json | -]
//
// SPEC (a file, or standard input when omitted or "-") is
//   {"text": {fieldName: value, ...}, "choices": {radioGroupName: exportValue, ...}}
//
// What the viewer does (pdf.js src/display/annotation_layer.js), mirrored here:
//   - text: TextWidgetAnnotationElement's "input" listener stores {value: element.value} for the widget,
//     then the same for every other widget of that fieldName (setPropertyOnSiblings). The element is a
//     <textarea> for a multiline field (its value has "\n" line breaks: a browser normalises CR and CRLF to
//     LF) and an <input type=text> otherwise (no line break can be typed; pasted ones become spaces, as
//     Firefox's default editor.singleLine.pasteNewlines = 2 does); maxLength cuts what can be typed to the
//     field's /MaxLen.
//   - radio: RadioButtonWidgetAnnotationElement's "change" listener stores {value: false} for every other
//     widget of the fieldName (from doc.getFieldObjects(), skipping page -1 and the clicked widget), then
//     {value: true} for the clicked one (the widget whose buttonValue is the chosen export value).
// Then the viewer's "save" calls pdfDocument.saveDocument() and writes the bytes.
//
// Exits 2 with a message on stderr when a named field or export value is not in the form.

import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

function fail(message, code = 2) {
  process.stderr.write(`pdfjs_fill: ${message}\n`);
  process.exit(code);
}

// pdf.js's Node build needs DOMMatrix when its display module is imported (a module-level
// `new DOMMatrix()` used only for canvas rendering). Node 20 has none; pdf.js polyfills it from the
// optional native package @napi-rs/canvas when that is installed. We never render, only fill and save,
// so without that package an inert stand-in is enough; any real use of it throws loudly.
try {
  require.resolve("@napi-rs/canvas");
} catch {
  if (!globalThis.DOMMatrix) {
    globalThis.DOMMatrix = class DOMMatrix {
      constructor() {
        Object.assign(this, { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 });
      }
      static #unsupported() {
        throw new Error("pdfjs_fill: DOMMatrix stand-in: rendering is not supported (install @napi-rs/canvas)");
      }
      multiplySelf() { DOMMatrix.#unsupported(); }
      preMultiplySelf() { DOMMatrix.#unsupported(); }
      invertSelf() { DOMMatrix.#unsupported(); }
      scaleSelf() { DOMMatrix.#unsupported(); }
      translateSelf() { DOMMatrix.#unsupported(); }
      translate() { DOMMatrix.#unsupported(); }
      scale() { DOMMatrix.#unsupported(); }
    };
  }
}

// Importing pdf.js without @napi-rs/canvas warns that it cannot polyfill canvas types (which only
// rendering uses): drop those expected warnings, and only those, while importing.
const expected = /^Warning: (Cannot load "@napi-rs\/canvas" package|Cannot polyfill `\w+`, rendering may be broken)/;
const consoleMethods = { log: console.log, warn: console.warn };
for (const [method, original] of Object.entries(consoleMethods)) {
  console[method] = (...args) => {
    if (!(typeof args[0] === "string" && expected.test(args[0]))) original(...args);
  };
}
let pdfjs;
try {
  pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
} catch (error) {
  if (error?.code === "ERR_MODULE_NOT_FOUND") {
    fail(`pdfjs-dist is not installed in ${here}/node_modules: run make test, which runs npm ci`, 3);
  }
  throw error;
} finally {
  Object.assign(console, consoleMethods);
}
const { getDocument, VerbosityLevel } = pdfjs;

const [source, target, specPath = "-"] = process.argv.slice(2);
if (!source || !target) {
  fail("usage: node pdfjs_fill.mjs SOURCE.pdf TARGET.pdf [SPEC.json | -]", 64);
}
const specText = fs.readFileSync(specPath === "-" ? 0 : specPath, "utf8");
const spec = JSON.parse(specText);
const text = spec.text ?? {};
const choices = spec.choices ?? {};

const standardFontDataUrl = path.join(path.dirname(require.resolve("pdfjs-dist/package.json")), "standard_fonts") + path.sep;

const doc = await getDocument({
  data: new Uint8Array(fs.readFileSync(source)),
  standardFontDataUrl,
  verbosity: VerbosityLevel.ERRORS,
}).promise;

// Every widget of the document, by field name, as the viewer's annotation layer sees them.
const widgets = new Map();
for (let pageNumber = 1; pageNumber <= doc.numPages; pageNumber++) {
  const page = await doc.getPage(pageNumber);
  for (const annotation of await page.getAnnotations({ intent: "display" })) {
    if (annotation.annotationType !== pdfjs.AnnotationType.WIDGET || !annotation.fieldName) continue;
    if (!widgets.has(annotation.fieldName)) widgets.set(annotation.fieldName, []);
    widgets.get(annotation.fieldName).push(annotation);
  }
}
const fieldObjects = (await doc.getFieldObjects()) ?? {};

const storage = doc.annotationStorage;
const problems = [];

for (const [name, typed] of Object.entries(text)) {
  const found = (widgets.get(name) ?? []).filter((w) => w.fieldType === "Tx");
  if (found.length === 0) {
    problems.push(`no text field named ${JSON.stringify(name)}`);
    continue;
  }
  const [first, ...siblings] = found;
  let value = String(typed).replace(/\r\n?/g, "\n"); // a browser's text controls hold LF line breaks
  if (!first.multiLine) {
    // <input type=text>: Enter types no line break, and a paste of several lines follows Firefox's
    // editor.singleLine.pasteNewlines = 2: trailing line breaks dropped, the others become spaces.
    value = value.replace(/\n+$/, "").replaceAll("\n", " ");
  }
  if (first.maxLen && value.length > first.maxLen) {
    process.stderr.write(`pdfjs_fill: warning: ${name}: cut to MaxLen ${first.maxLen}, as the viewer's maxlength does\n`);
    value = value.slice(0, first.maxLen);
  }
  storage.setValue(first.id, { value });
  for (const sibling of siblings) storage.setValue(sibling.id, { value });
}

for (const [name, exportValue] of Object.entries(choices)) {
  const onState = String(exportValue);
  const radios = (widgets.get(name) ?? []).filter((w) => w.fieldType === "Btn" && w.radioButton);
  if (radios.length === 0) {
    problems.push(`no radio group named ${JSON.stringify(name)}`);
    continue;
  }
  const chosen = radios.filter((w) => w.buttonValue === onState);
  if (chosen.length !== 1) {
    const offered = radios.map((w) => w.buttonValue);
    problems.push(
      `radio group ${JSON.stringify(name)}: ${chosen.length} widgets with export value ` +
        `${JSON.stringify(String(exportValue))} (offers ${JSON.stringify(offered)})`,
    );
    continue;
  }
  const clicked = chosen[0];
  // The viewer's "change" listener: every other widget of the name off, then the clicked one on.
  const group = (fieldObjects[name] ?? []).filter((o) => o.page !== -1 && o.id !== clicked.id);
  for (const other of group) storage.setValue(other.id, { value: false });
  storage.setValue(clicked.id, { value: true });
}

if (problems.length) {
  fail(problems.join("\n"));
}

const bytes = await doc.saveDocument();
fs.writeFileSync(target, bytes);
await doc.destroy();
