//! The crate's shape, checked on its source (ARCHITECTURE.md): each layer
//! imports only the layers it is allowed to, and no modules of one parent
//! import each other in a loop. Test modules are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

type Module = Vec<String>;

/// Each layer and what it may import (a layer, or one module of it).
const LAYERS: &[(&str, &[&str])] = &[
    ("domain", &[]),
    ("store", &["domain"]),
    ("auth", &["domain"]),
    ("config", &["domain", "auth", "store"]),
    ("service", &["domain", "store", "auth"]),
    ("delivery", &["domain", "service::ports"]),
    ("graphql", &["domain", "store", "service"]),
    (
        "http",
        &["domain", "auth", "config", "graphql", "service", "store"],
    ),
    ("telemetry", &[]),
    (
        "app",
        &[
            "domain", "store", "auth", "config", "service", "delivery", "graphql", "http",
        ],
    ),
    (
        "lambda",
        &[
            "domain",
            "store",
            "auth",
            "config",
            "service",
            "delivery",
            "graphql",
            "http",
            "app",
            "telemetry",
        ],
    ),
];

/// Every module of `src/` (but the binaries) and its source up to its tests.
fn modules() -> BTreeMap<Module, String> {
    fn walk(dir: &Path, found: &mut BTreeMap<Module, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, found);
                continue;
            }
            let rel = path
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .to_string();
            let Some(rel) = rel.strip_suffix(".rs") else {
                continue;
            };
            if rel.starts_with("bin/") || rel == "lib" || rel == "main" || rel.ends_with("_tests") {
                continue;
            }
            let mut name: Module = rel.split('/').map(str::to_owned).collect();
            if name.last().is_some_and(|last| last == "mod") {
                name.pop();
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            found.insert(name, code.to_owned());
        }
    }
    let mut found = BTreeMap::new();
    walk(&src(), &mut found);
    found
}

fn src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The paths after each `prefix` in `code` (`crate::a::b` gives `[a, b]`).
fn paths_after(code: &str, prefix: &str) -> Vec<Module> {
    let mut paths = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let rest = &code[at + prefix.len()..];
        let mut path = Vec::new();
        let mut rest = rest;
        loop {
            let end = rest
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .unwrap_or(rest.len());
            if end == 0 {
                break;
            }
            path.push(rest[..end].to_owned());
            match rest[end..].strip_prefix("::") {
                Some(next) => rest = next,
                None => break,
            }
        }
        if !path.is_empty() {
            paths.push(path);
        }
    }
    paths
}

/// The modules each module imports (the longest module a path names).
fn imports(modules: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    let mut graph = BTreeMap::new();
    for (module, code) in modules {
        let mut paths = paths_after(code, "crate::");
        let parent = &module[..module.len() - 1];
        for path in paths_after(code, "super::") {
            paths.push(parent.iter().cloned().chain(path).collect());
        }
        let targets: BTreeSet<Module> = paths
            .iter()
            .filter_map(|path| {
                (1..=path.len())
                    .rev()
                    .map(|n| path[..n].to_vec())
                    .find(|m| modules.contains_key(m))
            })
            .filter(|target| target != module)
            .collect();
        graph.insert(module.clone(), targets);
    }
    graph
}

#[test]
fn every_layer_imports_only_the_layers_below_it() {
    let modules = modules();
    let mut wrong = Vec::new();
    for (module, targets) in imports(&modules) {
        let layer = &module[0];
        let Some((_, allowed)) = LAYERS.iter().find(|(name, _)| name == layer) else {
            wrong.push(format!("{} is in no layer", module.join("::")));
            continue;
        };
        for target in targets.iter().filter(|t| &t[0] != layer) {
            let name = target.join("::");
            let fits = allowed
                .iter()
                .any(|a| name == *a || name.starts_with(&format!("{a}::")));
            if !fits {
                wrong.push(format!("{} imports {name}", module.join("::")));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports pointing the wrong way: {wrong:#?}"
    );
}

#[test]
fn no_modules_of_one_parent_import_each_other_in_a_loop() {
    let modules = modules();
    // An import between two modules, seen as one between the children of
    // their nearest common parent (a parent and its own children are left
    // out: a child may use what its parent declares).
    let mut siblings: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, targets) in imports(&modules) {
        for target in targets {
            let common = module
                .iter()
                .zip(&target)
                .take_while(|(a, b)| a == b)
                .count();
            if common == module.len() || common == target.len() {
                continue;
            }
            let from = module[..=common].to_vec();
            siblings
                .entry(from)
                .or_default()
                .insert(target[..=common].to_vec());
        }
    }
    let mut loops = Vec::new();
    for start in siblings.keys() {
        // Is `start` reachable from what it imports?
        let mut seen = BTreeSet::new();
        let mut next: Vec<&Module> = siblings[start].iter().collect();
        while let Some(module) = next.pop() {
            if module == start {
                loops.push(start.join("::"));
                break;
            }
            if seen.insert(module.clone()) {
                next.extend(siblings.get(module).into_iter().flatten());
            }
        }
    }
    assert!(loops.is_empty(), "modules in an import loop: {loops:#?}");
}

#[test]
fn the_checker_sees_imports_and_loops() {
    // The two tests above would pass on a checker that finds nothing.
    let code = "use crate::domain::membership::{Role};\nuse super::access;\nlet x = mycrate::no;";
    assert_eq!(
        paths_after(code, "crate::"),
        vec![vec!["domain".to_owned(), "membership".to_owned()]]
    );
    assert_eq!(
        paths_after(code, "super::"),
        vec![vec!["access".to_owned()]]
    );
    let graph = imports(&modules());
    let transition = vec!["domain".to_owned(), "transition".to_owned()];
    assert!(graph[&transition].contains(&vec!["domain".to_owned(), "access".to_owned()]));
}
