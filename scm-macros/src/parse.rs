//! Reads a struct and its `#[hvs(...)]` attributes into a model that keeps the syntax
//! nodes, so that errors point at the user's own tokens.

use syn::spanned::Spanned;
use syn::{Attribute, Ident, ItemStruct, LitInt, LitStr, Type};

/// The wire kind of a field.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    String,
    Integer,
    Decimal { precision: u32, scale: u32 },
    Date,
    Timestamp,
    Flag,
    Code,
    List,
    Object,
}

pub struct Field {
    pub ident: Ident,
    pub optional: bool,
    pub wire: LitStr,
    pub aliases: Vec<LitStr>,
    pub required: bool,
    pub kind: Kind,
    pub max_len: Option<u32>,
    pub secret: bool,
}

pub struct Shape {
    /// The struct without `#[hvs]` attributes.
    pub item: ItemStruct,
    pub fields: Vec<Field>,
    /// Each group as the indexes of its fields.
    pub one_of: Vec<Vec<usize>>,
}

fn is_hvs(a: &Attribute) -> bool {
    a.path().is_ident("hvs")
}

/// Parses the struct, taking the `#[hvs]` attributes out of it (also on error, so the
/// caller can still emit the plain struct).
pub fn shape(item: &mut ItemStruct) -> syn::Result<Shape> {
    let mut fields = Vec::new();
    let mut errors: Option<syn::Error> = None;
    let mut push = |e: syn::Error| match &mut errors {
        Some(all) => all.combine(e),
        None => errors = Some(e),
    };
    let syn::Fields::Named(named) = &mut item.fields else {
        return Err(syn::Error::new(
            item.ident.span(),
            "an hvs shape needs named fields",
        ));
    };
    for f in named.named.iter_mut() {
        let attrs: Vec<Attribute> = f.attrs.iter().filter(|a| is_hvs(a)).cloned().collect();
        f.attrs.retain(|a| !is_hvs(a));
        let Some(ident) = f.ident.clone() else {
            continue;
        };
        match field(ident, f.ty.clone(), &attrs) {
            Ok(x) => fields.push(x),
            Err(e) => push(e),
        }
    }
    let struct_attrs: Vec<Attribute> = item.attrs.iter().filter(|a| is_hvs(a)).cloned().collect();
    item.attrs.retain(|a| !is_hvs(a));
    let mut one_of = Vec::new();
    for a in &struct_attrs {
        let r = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("one_of") {
                let content;
                syn::parenthesized!(content in meta.input);
                let names = content.parse_terminated(|p| p.parse::<LitStr>(), syn::Token![,])?;
                let names_len = names.len();
                let mut group = Vec::new();
                for n in names {
                    match fields.iter().position(|f| f.wire.value() == n.value()) {
                        Some(i) => group.push(i),
                        None => push(syn::Error::new(
                            n.span(),
                            format!(
                                "one_of names `{}`, which no field has as its wire name",
                                n.value()
                            ),
                        )),
                    }
                }
                if names_len < 2 {
                    return Err(meta.error("one_of needs at least two fields"));
                }
                one_of.push(group);
                Ok(())
            } else {
                Err(meta.error("unknown shape fact; expected `one_of(...)`"))
            }
        });
        if let Err(e) = r {
            push(e);
        }
    }
    match errors {
        Some(e) => Err(e),
        None => Ok(Shape {
            item: item.clone(),
            fields,
            one_of,
        }),
    }
}

fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => match a.args.first()? {
            syn::GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

fn field(ident: Ident, ty: Type, attrs: &[Attribute]) -> syn::Result<Field> {
    let Some(first) = attrs.first() else {
        return Err(syn::Error::new(
            ident.span(),
            "field needs #[hvs(wire = \"...\")]",
        ));
    };
    let mut wire = None;
    let mut aliases = Vec::new();
    let mut required = false;
    let mut kind = None;
    let mut max_len = None;
    let mut secret = false;
    for a in attrs {
        a.parse_nested_meta(|meta| {
            let p = &meta.path;
            let mut set_kind = |k: Kind| {
                if kind.replace(k).is_some() {
                    Err(meta.error("a field has one kind"))
                } else {
                    Ok(())
                }
            };
            if p.is_ident("wire") {
                wire = Some(meta.value()?.parse::<LitStr>()?);
            } else if p.is_ident("alias") {
                aliases.push(meta.value()?.parse::<LitStr>()?);
            } else if p.is_ident("required") {
                required = true;
            } else if p.is_ident("secret") {
                secret = true;
            } else if p.is_ident("max_len") {
                let n: LitInt = meta.value()?.parse()?;
                max_len = Some(n.base10_parse::<u32>()?);
            } else if p.is_ident("decimal") {
                let content;
                syn::parenthesized!(content in meta.input);
                let p_lit: LitInt = content.parse()?;
                content.parse::<syn::Token![,]>()?;
                let s_lit: LitInt = content.parse()?;
                let (precision, scale) =
                    (p_lit.base10_parse::<u32>()?, s_lit.base10_parse::<u32>()?);
                if scale > precision || precision == 0 {
                    return Err(syn::Error::new(
                        s_lit.span(),
                        "decimal(precision, scale) needs 0 < precision and scale <= precision",
                    ));
                }
                set_kind(Kind::Decimal { precision, scale })?;
            } else {
                let k = [
                    ("string", Kind::String),
                    ("integer", Kind::Integer),
                    ("date", Kind::Date),
                    ("timestamp", Kind::Timestamp),
                    ("flag", Kind::Flag),
                    ("code", Kind::Code),
                    ("list", Kind::List),
                    ("object", Kind::Object),
                ]
                .into_iter()
                .find(|(n, _)| p.is_ident(n));
                match k {
                    Some((_, k)) => set_kind(k)?,
                    None => {
                        let name = p.get_ident().map(ToString::to_string).unwrap_or_default();
                        return Err(meta.error(format!(
                            "unknown field fact `{name}`; expected wire, alias, required, \
                             max_len, secret or a kind (string, integer, decimal(p, s), \
                             date, timestamp, flag, code, list, object)"
                        )));
                    }
                }
            }
            Ok(())
        })?;
    }
    let Some(wire) = wire else {
        return Err(syn::Error::new_spanned(first, "missing `wire = \"...\"`"));
    };
    let optional = option_inner(&ty).is_some();
    let kind = kind.unwrap_or(Kind::String);
    if optional && kind == Kind::List {
        return Err(syn::Error::new(
            ty.span(),
            "a list is a `Vec<_>`, never an `Option`",
        ));
    }
    if max_len.is_some() && !matches!(kind, Kind::String) {
        return Err(syn::Error::new(
            first.span(),
            "max_len applies to string fields only",
        ));
    }
    Ok(Field {
        ident,
        optional,
        wire,
        aliases,
        required,
        kind,
        max_len,
        secret,
    })
}

/// The facts of `#[scm_macros::function(...)]`.
pub struct FunctionFacts {
    pub code: LitStr,
    pub path: LitStr,
    pub request: syn::Path,
    pub outcome: syn::Path,
    pub safe_to_retry: bool,
    pub envelope: bool,
}

/// Parses the arguments of `#[scm_macros::function(...)]` for a unit struct.
pub fn function(args: proc_macro2::TokenStream, item: &ItemStruct) -> syn::Result<FunctionFacts> {
    if !matches!(item.fields, syn::Fields::Unit) {
        return Err(syn::Error::new(
            item.ident.span(),
            "a function is a unit struct: `struct API010COF;`",
        ));
    }
    let (mut code, mut path, mut request, mut outcome) = (None, None, None, None);
    let (mut safe_to_retry, mut envelope) = (false, true);
    let parser = syn::meta::parser(|meta| {
        let p = &meta.path;
        if p.is_ident("code") {
            code = Some(meta.value()?.parse::<LitStr>()?);
        } else if p.is_ident("path") {
            path = Some(meta.value()?.parse::<LitStr>()?);
        } else if p.is_ident("request") {
            request = Some(meta.value()?.parse::<syn::Path>()?);
        } else if p.is_ident("outcome") {
            outcome = Some(meta.value()?.parse::<syn::Path>()?);
        } else if p.is_ident("safe_to_retry") {
            safe_to_retry = true;
        } else if p.is_ident("no_envelope") {
            envelope = false;
        } else {
            return Err(meta.error(
                "unknown function fact; expected code, path, request, outcome, safe_to_retry or no_envelope",
            ));
        }
        Ok(())
    });
    syn::parse::Parser::parse2(parser, args)?;
    let missing =
        |what: &str| syn::Error::new(item.ident.span(), format!("missing `{what} = ...`"));
    Ok(FunctionFacts {
        code: code.ok_or_else(|| missing("code"))?,
        path: path.ok_or_else(|| missing("path"))?,
        request: request.ok_or_else(|| missing("request"))?,
        outcome: outcome.ok_or_else(|| missing("outcome"))?,
        safe_to_retry,
        envelope,
    })
}
