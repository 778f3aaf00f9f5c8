//! No import cycles in `crate/src`: every module's `crate::`, `super::` and `self::` paths (and
//! a parent's `use child::`) are resolved to the module files they name, and the graph of those
//! dependencies must have no cycle, so each module can be read, and changed, after the ones it
//! depends on. Declaring a child module is not a dependency; using items of the parent's own
//! file is. Reads the source tree, so natively only.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every module of the crate by path (`kernels::gemm`), with its source outside `#[cfg(test)]`.
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(root).unwrap().with_extension("");
                let mut parts: Vec<String> =
                    rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
                if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
                    parts.pop();
                }
                let src = std::fs::read_to_string(&path).unwrap();
                let src = src.split("#[cfg(test)]").next().unwrap().to_string();
                out.insert(parts.join("::"), src);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = BTreeMap::new();
    walk(&root, &root, &mut out);
    out
}

/// The module files a module's paths name (the longest prefix that is a module).
fn dependencies(name: &str, src: &str, modules: &BTreeMap<String, String>) -> BTreeSet<String> {
    let base: Vec<&str> = if name.is_empty() { vec![] } else { name.split("::").collect() };
    let resolve = |mut parts: Vec<&str>| {
        while !parts.is_empty() {
            let key = parts.join("::");
            if modules.contains_key(&key) {
                return Some(key);
            }
            parts.pop();
        }
        None
    };
    let mut deps = BTreeSet::new();
    for line in src.lines() {
        let code = line.split("//").next().unwrap();
        let words = code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'));
        for word in words.filter(|w| w.contains("::")) {
            let segs: Vec<&str> = word.split("::").filter(|s| !s.is_empty()).collect();
            let target = match segs.first().copied() {
                Some("crate") => resolve(segs[1..].to_vec()),
                Some("self") => resolve([&base[..], &segs[1..]].concat()),
                Some("super") => {
                    let ups = segs.iter().take_while(|s| **s == "super").count();
                    let parent = &base[..base.len().saturating_sub(ups)];
                    resolve([parent, &segs[ups..]].concat())
                }
                // `use child::item` in a module with children.
                Some(first) if code.trim_start().starts_with("use ") => {
                    let child = [&base[..], &[first]].concat();
                    modules.contains_key(&child.join("::")).then(|| child.join("::"))
                }
                _ => None,
            };
            if let Some(t) = target.filter(|t| t != name) {
                deps.insert(t);
            }
        }
    }
    deps
}

#[test]
fn modules_have_no_import_cycles() {
    let modules = modules();
    assert!(modules.contains_key("kernels::gemm"), "the module walk found {:?}", modules.keys());
    let graph: BTreeMap<&str, BTreeSet<String>> =
        modules.iter().map(|(n, s)| (n.as_str(), dependencies(n, s, &modules))).collect();
    // Depth-first search; a module met again while on the stack closes a cycle.
    fn visit<'a>(
        n: &'a str,
        graph: &'a BTreeMap<&str, BTreeSet<String>>,
        stack: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if let Some(at) = stack.iter().position(|s| *s == n) {
            panic!("import cycle: {} -> {n}", stack[at..].join(" -> "));
        }
        if !done.insert(n) {
            return;
        }
        stack.push(n);
        for d in &graph[n] {
            visit(d, graph, stack, done);
        }
        stack.pop();
    }
    let mut done = BTreeSet::new();
    for n in graph.keys() {
        visit(n, &graph, &mut Vec::new(), &mut done);
    }
}
