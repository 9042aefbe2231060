//! The small wasm modules the xtask tests run the post-build steps on, built with walrus.

use walrus::{FunctionBuilder, Module};

/// A module that imports each `(module, name)` of `imports` as a function and exports a
/// function under each name of `exports`; every exported function calls every import, so
/// the imports stay used.
pub fn module(imports: &[(&str, &str)], exports: &[&str]) -> Module {
    let mut module = Module::default();
    let ty = module.types.add(&[], &[]);
    let imported: Vec<_> = imports
        .iter()
        .map(|(from, name)| module.add_import_func(from, name, ty).0)
        .collect();
    for name in exports {
        let mut body = FunctionBuilder::new(&mut module.types, &[], &[]);
        let mut code = body.func_body();
        for &function in &imported {
            code.call(function);
        }
        let function = body.finish(vec![], &mut module.funcs);
        module.exports.add(name, function);
    }
    module
}
