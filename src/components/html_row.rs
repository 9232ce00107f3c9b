//! An element (a table row or a card) written as one HTML string and parsed in one step, with
//! one render effect for everything in it that changes. Built node by node, a row made about 20
//! elements, 30 attribute writes, a dozen effects and three components; typing replaces up to 50
//! rows at once, and creating them was most of a slow keystroke. The effect reads all the live values
//! again when any of them changes and writes only those that changed (so a focused control, a
//! Copy button's "Copied" or a tooltip next to it stay as they are). The row's controls have no
//! listeners of their own: the list handles their events once for all rows
//! ([`super::service_row::RowEvents`]).

use leptos::prelude::*;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;

/// Where a live value goes, relative to the row's element.
#[derive(Clone, Copy)]
pub enum At {
    /// The row's element itself.
    Root,
    /// Its `n`th element child (a cell).
    Child(u32),
    /// The first element inside it that the CSS selector matches.
    Select(&'static str),
}

/// How a live value is written. In the HTML it is written as the kind says; afterwards:
#[derive(Clone, Copy)]
pub enum Write {
    /// The element's `innerHTML` (the value is HTML, escaped by whoever made it).
    Html,
    /// An attribute's value (the value is text; escaped in the HTML).
    Attr(&'static str),
    /// A boolean attribute such as `hidden`: present while the value is not empty.
    Flag(&'static str),
    /// A class, present while the value is not empty.
    Class(&'static str),
    /// A checkbox's `checked` (the attribute in the HTML, the property afterwards).
    Checked,
    /// The element's first child element, or none: the value is one element's HTML or empty
    /// (in the HTML it is written in place, at the start of the element). For a card's
    /// checkbox, which exists only while the role may select.
    Leading,
}

struct Part {
    write: Write,
    at: At,
    /// The `Html` (or `Leading`) part whose content holds this part's element: that element is
    /// looked up (and its value written) again whenever the content is rewritten.
    within: Option<usize>,
}

enum Segment {
    Text(String),
    Value(usize),
}

/// The row's HTML in order, fixed text and live values, and how its live values are read: one
/// closure returns them all, in the order they were declared with [`HtmlRow::live`].
pub struct HtmlRow {
    segments: Vec<Segment>,
    parts: Vec<Part>,
    values: Option<Box<dyn Fn() -> Vec<String> + Send>>,
}

impl Default for HtmlRow {
    fn default() -> Self {
        Self::new()
    }
}

impl HtmlRow {
    pub fn new() -> HtmlRow {
        HtmlRow {
            segments: Vec::new(),
            parts: Vec::new(),
            values: None,
        }
    }

    /// Fixed HTML (escaped by the caller).
    pub fn text(&mut self, html: impl Into<String>) {
        self.segments.push(Segment::Text(html.into()));
    }

    /// A live value here in the HTML, written to `at` as `write` says when it changes; returns
    /// its index (for [`HtmlRow::live_within`]).
    pub fn live(&mut self, write: Write, at: At) -> usize {
        let index = self.parts.len();
        self.parts.push(Part {
            write,
            at,
            within: None,
        });
        self.segments.push(Segment::Value(index));
        index
    }

    /// A live value of an element inside the content of the `Html` part `within`: not in the
    /// HTML, but written once that content is (an empty value is the element's default, not
    /// written on a new row). Used for a checkbox's `checked`, so that selecting doesn't rewrite
    /// the checkbox.
    pub fn live_within(&mut self, within: usize, write: Write, at: At) -> usize {
        let index = self.parts.len();
        self.parts.push(Part {
            write,
            at,
            within: Some(within),
        });
        index
    }

    /// How the live values are read (tracked), in the order they were declared.
    pub fn values(mut self, values: impl Fn() -> Vec<String> + Send + 'static) -> HtmlRow {
        self.values = Some(Box::new(values));
        self
    }
}

/// The HTML with `values` in their places.
fn html_of(segments: &[Segment], parts: &[Part], values: &[String]) -> String {
    let mut html = String::new();
    {
        for segment in segments {
            match segment {
                Segment::Text(text) => html.push_str(text),
                Segment::Value(i) => {
                    let value = &values[*i];
                    match parts[*i].write {
                        Write::Html | Write::Leading => html.push_str(value),
                        Write::Attr(_) => super::highlight::escape_into(&mut html, value),
                        Write::Flag(name) | Write::Class(name) => {
                            if !value.is_empty() {
                                html.push(' ');
                                html.push_str(name);
                            }
                        }
                        Write::Checked => {
                            if !value.is_empty() {
                                html.push_str(" checked");
                            }
                        }
                    }
                }
            }
        }
    }
    html
}

/// The parsed element and where each live value goes (looked up when first written).
struct Targets {
    root: Option<web_sys::Element>,
    found: Vec<Option<web_sys::Element>>,
}

impl Targets {
    fn get(&mut self, parts: &[Part], i: usize) -> Option<web_sys::Element> {
        if self.found[i].is_none() {
            let root = self.root.as_ref()?;
            self.found[i] = match parts[i].at {
                At::Root => Some(root.clone()),
                At::Child(n) => root.children().item(n),
                At::Select(selector) => root.query_selector(selector).ok().flatten(),
            };
        }
        self.found[i].clone()
    }

    /// Writes part `i`'s new `value`; `had` says whether its old value was not empty.
    fn write(&mut self, parts: &[Part], i: usize, value: &str, had: bool) {
        let Some(el) = self.get(parts, i) else {
            return;
        };
        match parts[i].write {
            Write::Html => el.set_inner_html(value),
            Write::Leading => {
                if had {
                    if let Some(old) = el.first_element_child() {
                        old.remove();
                    }
                }
                if !value.is_empty() {
                    let _ = el.insert_adjacent_html("afterbegin", value);
                }
            }
            Write::Attr(name) => {
                let _ = el.set_attribute(name, value);
            }
            Write::Flag(name) => {
                let _ = if value.is_empty() {
                    el.remove_attribute(name)
                } else {
                    el.set_attribute(name, "")
                };
            }
            Write::Class(name) => {
                let _ = el.class_list().toggle_with_force(name, !value.is_empty());
            }
            Write::Checked => {
                if let Some(input) = el.dyn_ref::<web_sys::HtmlInputElement>() {
                    input.set_checked(!value.is_empty());
                }
            }
        }
    }
}

pub struct HtmlRowState {
    root: Option<web_sys::Element>,
    _effect: Option<RenderEffect<Vec<String>>>,
}

impl Render for HtmlRow {
    type State = HtmlRowState;

    fn build(mut self) -> Self::State {
        let values = self.values.take();
        let parts = Rc::new(std::mem::take(&mut self.parts));
        let targets = Rc::new(RefCell::new(Targets {
            root: None,
            found: vec![None; parts.len()],
        }));
        let first = Rc::new(RefCell::new(Vec::new()));
        let effect = values.map(|values| {
            let (parts, targets, first) = (parts.clone(), targets.clone(), first.clone());
            RenderEffect::new(move |previous: Option<Vec<String>>| {
                let now = values();
                debug_assert_eq!(now.len(), parts.len(), "one value per live part");
                match previous {
                    None => first.borrow_mut().clone_from(&now),
                    Some(previous) => {
                        let mut targets = targets.borrow_mut();
                        for (i, (value, was)) in now.iter().zip(&previous).enumerate() {
                            if value == was {
                                continue;
                            }
                            targets.write(&parts, i, value, !was.is_empty());
                            if let Write::Html | Write::Leading = parts[i].write {
                                // Its content is new: the parts inside it are found (and
                                // written) again.
                                for (j, part) in parts.iter().enumerate() {
                                    if part.within == Some(i) {
                                        targets.found[j] = None;
                                        targets.write(&parts, j, &now[j], true);
                                    }
                                }
                            }
                        }
                    }
                }
                now
            })
        });
        let html = html_of(&self.segments, &parts, &first.borrow());
        let root = parse(&html);
        {
            let mut targets = targets.borrow_mut();
            targets.root = root.clone();
            let first = first.borrow();
            for (j, part) in parts.iter().enumerate() {
                if let Some(i) = part.within {
                    if !first[i].is_empty() && !first[j].is_empty() {
                        targets.write(&parts, j, &first[j], false);
                    }
                }
            }
        }
        HtmlRowState {
            root,
            _effect: effect,
        }
    }

    fn rebuild(self, state: &mut Self::State) {
        let mut fresh = self.build();
        if let Some(root) = &state.root {
            root.insert_before_this(&mut fresh);
        }
        state.unmount();
        *state = fresh;
    }
}

/// The first element of `html`, parsed in a template that all rows share (each parse replaces
/// the template's content; the element it made is the row's, in the page or not).
fn parse(html: &str) -> Option<web_sys::Element> {
    thread_local! {
        static TEMPLATE: web_sys::HtmlTemplateElement = document()
            .create_element("template")
            .expect("a template element")
            .unchecked_into();
    }
    TEMPLATE.with(|template| {
        template.set_inner_html(html);
        template.content().first_element_child()
    })
}

impl Mountable for HtmlRowState {
    fn unmount(&mut self) {
        if let Some(root) = &mut self.root {
            root.unmount();
        }
    }

    fn mount(&mut self, parent: &web_sys::Element, marker: Option<&web_sys::Node>) {
        if let Some(root) = &mut self.root {
            root.mount(parent, marker);
        }
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        self.root
            .as_ref()
            .is_some_and(|root| root.insert_before_this(child))
    }

    fn elements(&self) -> Vec<web_sys::Element> {
        self.root.iter().cloned().collect()
    }
}

impl AddAnyAttr for HtmlRow {
    type Output<SomeNewAttr: Attribute> = Self;

    fn add_any_attr<NewAttr: Attribute>(self, _attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        self
    }
}

// Client-side rendering only: there is no server rendering or hydration to take part in.
impl RenderHtml for HtmlRow {
    type AsyncOutput = Self;
    type Owned = Self;

    const MIN_LENGTH: usize = 0;

    fn dry_resolve(&mut self) {}

    async fn resolve(self) -> Self {
        self
    }

    fn to_html_with_buf(
        self,
        buf: &mut String,
        position: &mut Position,
        _escape: bool,
        _mark_branches: bool,
        _extra_attrs: Vec<AnyAttribute>,
    ) {
        let values = self.values.as_ref().map(|v| v()).unwrap_or_default();
        buf.push_str(&html_of(&self.segments, &self.parts, &values));
        *position = Position::NextChild;
    }

    fn hydrate<const FROM_SERVER: bool>(
        self,
        _cursor: &Cursor,
        _position: &PositionState,
    ) -> Self::State {
        self.build()
    }

    fn into_owned(self) -> Self::Owned {
        self
    }
}
