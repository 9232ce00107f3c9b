//! A run of table cells written as one HTML string and parsed in one step, for the parts of a row
//! that are text and decoration. Built node by node, a row made about 20 elements, 30 attribute
//! writes and 10 `innerHTML` parses through the JavaScript boundary; typing replaces up to 50 rows
//! at once, and that was most of a keystroke's scripting in the profile. The cells that change
//! share one render effect, which writes only the parts that changed (so a Copy button, a
//! focused time or a tooltip next to it stay as they are). A control with its own listeners (the
//! star, the actions menu) is a Leptos view mounted into its parsed cell (`Cell::with_slot`).

use leptos::prelude::*;
use leptos::tachys::html::attribute::any_attribute::AnyAttribute;
use leptos::tachys::html::attribute::Attribute;
use leptos::tachys::hydration::Cursor;
use leptos::tachys::view::add_attr::AddAnyAttr;
use leptos::tachys::view::any_view::{AnyView, AnyViewState};
use leptos::tachys::view::{Mountable, Position, PositionState, Render, RenderHtml};
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;

type Content = Box<dyn Fn() -> String + Send>;
/// The element a live content is written into, known once the cells are parsed.
type Target = Rc<OnceCell<web_sys::Element>>;

/// One `<td>`: `open` (its start tag and anything before the part that changes), the content,
/// and `close`. A changing content is written into the element `at` names inside the cell (a
/// CSS selector), or into the cell itself.
pub struct Cell {
    open: String,
    content: Either<String, Content>,
    at: Option<&'static str>,
    close: String,
    /// A view (a control with its own listeners) put first into the element a selector names
    /// inside the cell (or into the cell), once the cell's HTML is parsed.
    slot: Option<(Option<&'static str>, AnyView)>,
}

enum Either<A, B> {
    Fixed(A),
    Live(B),
}

impl Cell {
    /// A cell whose HTML never changes.
    pub fn fixed(html: String) -> Cell {
        Cell {
            open: html,
            content: Either::Fixed(String::new()),
            at: None,
            close: String::new(),
            slot: None,
        }
    }

    /// `open` + the content's HTML + `close`; the content is read again (tracked) when what it
    /// reads changes, and written into the element `at` selects (or the cell) if it changed.
    pub fn live(
        open: String,
        content: impl Fn() -> String + Send + 'static,
        at: Option<&'static str>,
        close: String,
    ) -> Cell {
        Cell {
            open,
            content: Either::Live(Box::new(content)),
            at,
            close,
            slot: None,
        }
    }

    /// Puts `view` first into the element `at` selects inside the cell (or into the cell itself).
    pub fn with_slot(mut self, at: Option<&'static str>, view: AnyView) -> Cell {
        self.slot = Some((at, view));
        self
    }
}

/// Cells to put in a row, in order.
pub struct HtmlCells(pub Vec<Cell>);

pub struct HtmlCellsState {
    cells: Vec<web_sys::Element>,
    _slots: Vec<AnyViewState>,
    _effect: Option<RenderEffect<Vec<String>>>,
}

impl Render for HtmlCells {
    type State = HtmlCellsState;

    fn build(self) -> Self::State {
        // The live contents, each with where it goes (filled in once the cells exist).
        let mut live: Vec<(Content, Target)> = Vec::new();
        let mut targets: Vec<(usize, Option<&'static str>, Target)> = Vec::new();
        let mut parts: Vec<(String, Option<usize>, String)> = Vec::new();
        let mut slot_views: Vec<(usize, Option<&'static str>, AnyView)> = Vec::new();
        for (i, cell) in self.0.into_iter().enumerate() {
            if let Some((at, view)) = cell.slot {
                slot_views.push((i, at, view));
            }
            match cell.content {
                Either::Fixed(text) => parts.push((cell.open, None, text + &cell.close)),
                Either::Live(content) => {
                    let target = Target::default();
                    targets.push((i, cell.at, target.clone()));
                    parts.push((cell.open, Some(live.len()), cell.close));
                    live.push((content, target));
                }
            }
        }
        // One render effect for all the live contents of these cells: it reads them all again
        // when any changes and writes only those that changed.
        let first = Rc::new(RefCell::new(Vec::new()));
        let effect = (!live.is_empty()).then(|| {
            let first = first.clone();
            RenderEffect::new(move |previous: Option<Vec<String>>| {
                let now: Vec<String> = live.iter().map(|(content, _)| content()).collect();
                match previous {
                    None => first.borrow_mut().clone_from(&now),
                    Some(previous) => {
                        for ((now, previous), (_, target)) in now.iter().zip(&previous).zip(&live) {
                            if now != previous {
                                if let Some(el) = target.get() {
                                    el.set_inner_html(now);
                                }
                            }
                        }
                    }
                }
                now
            })
        });
        let mut html = String::new();
        {
            let first = first.borrow();
            for (open, content, close) in &parts {
                html.push_str(open);
                if let Some(index) = content {
                    html.push_str(&first[*index]);
                }
                html.push_str(close);
            }
        }
        let template = document()
            .create_element("template")
            .expect("a template element")
            .unchecked_into::<web_sys::HtmlTemplateElement>();
        template.set_inner_html(&html);
        let content = template.content();
        let list = content.children();
        let cells: Vec<web_sys::Element> =
            (0..list.length()).filter_map(|i| list.item(i)).collect();
        for (i, at, target) in targets {
            let Some(cell) = cells.get(i) else {
                continue;
            };
            let el = match at {
                Some(selector) => cell.query_selector(selector).ok().flatten(),
                None => Some(cell.clone()),
            };
            if let Some(el) = el {
                let _ = target.set(el);
            }
        }
        let mut slots = Vec::with_capacity(slot_views.len());
        for (i, at, view) in slot_views {
            let Some(cell) = cells.get(i) else {
                continue;
            };
            let parent = match at {
                Some(selector) => cell.query_selector(selector).ok().flatten(),
                None => Some(cell.clone()),
            };
            if let Some(parent) = parent {
                let mut state = view.build();
                let first = parent.first_child();
                state.mount(&parent, first.as_ref());
                slots.push(state);
            }
        }
        HtmlCellsState {
            cells,
            _slots: slots,
            _effect: effect,
        }
    }

    fn rebuild(self, state: &mut Self::State) {
        let mut fresh = self.build();
        if let Some(first) = state.cells.first() {
            first.insert_before_this(&mut fresh);
        }
        state.unmount();
        *state = fresh;
    }
}

impl Mountable for HtmlCellsState {
    fn unmount(&mut self) {
        for cell in &mut self.cells {
            cell.unmount();
        }
    }

    fn mount(&mut self, parent: &web_sys::Element, marker: Option<&web_sys::Node>) {
        for cell in &mut self.cells {
            cell.mount(parent, marker);
        }
    }

    fn insert_before_this(&self, child: &mut dyn Mountable) -> bool {
        self.cells
            .first()
            .is_some_and(|first| first.insert_before_this(child))
    }

    fn elements(&self) -> Vec<web_sys::Element> {
        self.cells.clone()
    }
}

impl AddAnyAttr for HtmlCells {
    type Output<SomeNewAttr: Attribute> = Self;

    fn add_any_attr<NewAttr: Attribute>(self, _attr: NewAttr) -> Self::Output<NewAttr>
    where
        Self::Output<NewAttr>: RenderHtml,
    {
        self
    }
}

// Client-side rendering only: there is no server rendering or hydration to take part in (a
// cell's slot view is not written into this HTML).
impl RenderHtml for HtmlCells {
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
        for cell in self.0 {
            buf.push_str(&cell.open);
            match cell.content {
                Either::Fixed(text) => buf.push_str(&text),
                Either::Live(content) => buf.push_str(&content()),
            }
            buf.push_str(&cell.close);
        }
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
