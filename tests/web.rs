//! Component tests: the app mounted in a real headless browser by wasm-bindgen-test (`./dev
//! test` runs them in Chromium, then in Firefox).
//! Each test mounts into a fresh container, acts like a visitor, waits a tick, and checks
//! text and attributes found by `data-testid`.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use hello_wasm::components::GreetingForm;
use hello_wasm::languages::Languages;
use leptos::mount::mount_to;
use leptos::prelude::{IntoView, document, view};
use leptos::task::tick;
use rules::catalogue;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::{Closure, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{
    Element, Event, EventInit, HtmlButtonElement, HtmlElement, HtmlFormElement, HtmlInputElement,
    HtmlSelectElement,
};

wasm_bindgen_test_configure!(run_in_browser);

/// The app mounted into its own container, removed again when the test ends.
struct Page<H> {
    root: HtmlElement,
    _handle: H,
}

impl<H> Drop for Page<H> {
    fn drop(&mut self) {
        self.root.remove();
    }
}

fn mount<V: IntoView + 'static>(view: impl FnOnce() -> V + 'static) -> Page<impl Sized> {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let handle = mount_to(root.clone(), view);
    Page {
        root,
        _handle: handle,
    }
}

/// The first view as the release build writes it into the page (`cargo component-fixtures`; a
/// host test keeps it current).
const FIRST_VIEW: &str = include_str!("first_view.html");

/// The build-time page in a container of its own, not yet live: what a visitor sees and can
/// use before the module has arrived.
fn build_time_page() -> Page<()> {
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    root.set_inner_html(FIRST_VIEW);
    document().body().unwrap().append_child(&root).unwrap();
    Page { root, _handle: () }
}

/// The app as it starts on the page: the build-time page, brought to life.
fn mount_app() -> Page<()> {
    let page = build_time_page();
    page.go_live();
    page
}

impl Page<()> {
    /// What the module does when it has arrived.
    fn go_live(&self) {
        hello_wasm::take_over(&self.root);
    }
}

impl<H> Page<H> {
    fn find(&self, test_id: &str) -> Option<Element> {
        self.root
            .query_selector(&format!("[data-testid={test_id}]"))
            .unwrap()
    }

    fn get(&self, test_id: &str) -> Element {
        self.find(test_id)
            .unwrap_or_else(|| panic!("no element with data-testid={test_id}"))
    }

    fn input(&self) -> HtmlInputElement {
        self.get("name-input").unchecked_into()
    }

    /// Types `text` into the name field the way the browser reports it: value, then `input`.
    async fn type_name(&self, text: &str) {
        let input = self.input();
        input.set_value(text);
        let init = EventInit::new();
        init.set_bubbles(true);
        input
            .dispatch_event(&Event::new_with_event_init_dict("input", &init).unwrap())
            .unwrap();
        tick().await;
    }

    async fn click_say_hello(&self) {
        self.get("say-hello")
            .unchecked_into::<HtmlButtonElement>()
            .click();
        tick().await;
    }

    /// What pressing Enter in the field does: the form's implicit submission, which
    /// `requestSubmit` performs. A real key press is covered by the end-to-end tests.
    async fn press_enter(&self) {
        let form: HtmlFormElement = self.input().form().expect("the input is inside a form");
        form.request_submit().unwrap();
        tick().await;
    }

    fn greeting(&self) -> String {
        self.get("greeting").text_content().unwrap_or_default()
    }

    fn error(&self) -> Option<String> {
        self.find("name-error")
            .map(|error| error.text_content().unwrap_or_default())
    }
}

/// Replaces `console[method]` with a recorder until dropped.
struct ConsoleSpy {
    method: &'static str,
    original: JsValue,
    lines: Rc<RefCell<Vec<String>>>,
    _recorder: Closure<dyn Fn(String)>,
}

impl ConsoleSpy {
    fn new(method: &'static str) -> Self {
        let console = js_sys::Reflect::get(&js_sys::global(), &"console".into()).unwrap();
        let original = js_sys::Reflect::get(&console, &method.into()).unwrap();
        let lines = Rc::new(RefCell::new(Vec::new()));
        let sink = Rc::clone(&lines);
        let recorder =
            Closure::<dyn Fn(String)>::new(move |line: String| sink.borrow_mut().push(line));
        js_sys::Reflect::set(&console, &method.into(), recorder.as_ref()).unwrap();
        Self {
            method,
            original,
            lines,
            _recorder: recorder,
        }
    }

    fn lines(&self) -> Vec<String> {
        self.lines.borrow().clone()
    }
}

impl Drop for ConsoleSpy {
    fn drop(&mut self) {
        let console = js_sys::Reflect::get(&js_sys::global(), &"console".into()).unwrap();
        js_sys::Reflect::set(&console, &self.method.into(), &self.original).unwrap();
    }
}

#[wasm_bindgen_test]
async fn shows_a_labelled_field_and_a_button() {
    let page = mount_app();
    tick().await;
    let heading = page.root.query_selector("h1").unwrap().unwrap();
    // The page's title, from index.html (xtask's prerender test holds the two equal).
    assert_eq!(
        heading.text_content().unwrap(),
        hello_wasm::components::TITLE
    );
    let input = page.input();
    let label = page
        .root
        .query_selector(&format!("label[for={}]", input.id()))
        .unwrap()
        .unwrap();
    assert_eq!(label.text_content().unwrap(), "Name");
    assert_eq!(page.get("say-hello").text_content().unwrap(), "Say hello");
    assert_eq!(
        page.get("greeting").get_attribute("role").as_deref(),
        Some("status")
    );
    assert_eq!(page.greeting(), "");
    assert_eq!(page.error(), None);
}

#[wasm_bindgen_test]
async fn greets_on_click_with_the_trimmed_name() {
    let page = mount_app();
    page.type_name("  Ferris  ").await;
    page.click_say_hello().await;
    assert_eq!(page.greeting(), english("Ferris"));
    assert_eq!(page.error(), None);
    assert_eq!(page.input().get_attribute("aria-invalid"), None);
}

#[wasm_bindgen_test]
async fn greets_on_enter() {
    let page = mount_app();
    page.type_name("Ada").await;
    page.press_enter().await;
    assert_eq!(page.greeting(), english("Ada"));
}

#[wasm_bindgen_test]
async fn shows_an_accessible_error_for_an_empty_name() {
    let page = mount_app();
    page.type_name("   ").await;
    page.click_say_hello().await;
    let error = page.get("name-error");
    assert_eq!(error.text_content().unwrap(), "Please enter your name.");
    assert_eq!(error.get_attribute("role").as_deref(), Some("alert"));
    let input = page.input();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(input.get_attribute("aria-describedby"), Some(error.id()));
    assert_eq!(page.greeting(), "");
}

#[wasm_bindgen_test]
async fn refuses_a_name_that_is_too_long() {
    let page = mount_app();
    page.type_name(&"a".repeat(101)).await;
    page.click_say_hello().await;
    assert_eq!(
        page.error().as_deref(),
        Some("That name is too long. Please use at most 100 characters.")
    );
}

#[wasm_bindgen_test]
async fn counts_an_emoji_family_as_one_character() {
    let page = mount_app();
    let family = "\u{1F468}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466}";
    page.type_name(&family.repeat(100)).await;
    page.click_say_hello().await;
    assert_eq!(page.error(), None);
    assert_eq!(page.greeting(), english(&family.repeat(100)));
}

#[wasm_bindgen_test]
async fn shows_no_error_before_the_first_submit() {
    let page = mount_app();
    page.type_name("x").await;
    page.type_name("").await;
    assert_eq!(page.error(), None);
    assert_eq!(page.input().get_attribute("aria-invalid"), None);
}

#[wasm_bindgen_test]
async fn recovers_after_an_error() {
    let page = mount_app();
    page.click_say_hello().await;
    assert_eq!(page.error().as_deref(), Some("Please enter your name."));
    // Typing a valid name clears the error at once; submitting greets.
    page.type_name("Grace").await;
    assert_eq!(page.error(), None);
    assert_eq!(page.input().get_attribute("aria-invalid"), None);
    assert_eq!(page.input().get_attribute("aria-describedby"), None);
    page.click_say_hello().await;
    assert_eq!(page.greeting(), english("Grace"));
}

#[wasm_bindgen_test]
async fn an_error_hides_the_previous_greeting() {
    let page = mount_app();
    page.type_name("Grace").await;
    page.click_say_hello().await;
    page.type_name("Gr\tace").await;
    page.click_say_hello().await;
    assert!(page.error().unwrap().contains("control characters"));
    assert_eq!(page.greeting(), "");
}

#[wasm_bindgen_test]
async fn renders_html_looking_names_as_text() {
    let page = mount_app();
    for name in [
        "<img src=x onerror=alert(1)>",
        "</p><script>alert(1)</script>",
    ] {
        page.type_name(name).await;
        page.click_say_hello().await;
        let greeting = page.get("greeting");
        assert_eq!(greeting.text_content().unwrap(), english(name));
        // The one element inside is the <bdi> that isolates the name; nothing is parsed.
        let names = greeting.query_selector_all("bdi").unwrap();
        assert_eq!(names.length(), 1);
        assert_eq!(
            greeting.query_selector_all("*").unwrap().length(),
            1,
            "markup was parsed from {name:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn logs_greetings_and_warns_about_refused_names() {
    let page = mount_app();
    let log = ConsoleSpy::new("log");
    let warn = ConsoleSpy::new("warn");
    page.type_name("Ferris").await;
    page.click_say_hello().await;
    page.type_name("").await;
    page.click_say_hello().await;
    assert_eq!(log.lines(), [english("Ferris")]);
    assert_eq!(warnings_about_names(&warn), ["Please enter your name."]);
}

/// The warnings, less those an earlier test's requests may log meanwhile: the catalogue's,
/// and "Under the hood"'s names file and raw module (the test server has none of them).
fn warnings_about_names(spy: &ConsoleSpy) -> Vec<String> {
    spy.lines()
        .into_iter()
        .filter(|line| {
            !line.starts_with("Greeting in English only") && !line.starts_with("Under the hood")
        })
        .collect()
}

/// Waits for the browser's timers and network, not only Leptos's tasks.
async fn sleep(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, milliseconds)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// The text of `element` once it contains `part`; fails, saying what it is, after 10 s.
async fn text_once_it_shows(element: &Element, part: &str) -> String {
    let text = || element.text_content().unwrap_or_default();
    let shown = until(|| text().contains(part)).await;
    assert!(shown, "waited 10 s for {part:?}; the text is {:?}", text());
    text()
}

/// Whether `ready` holds within 10 s (as long as the end-to-end tests wait, for a busy
/// machine), checking every 25 ms.
async fn until(ready: impl Fn() -> bool) -> bool {
    for _ in 0..400 {
        if ready() {
            return true;
        }
        sleep(25).await;
    }
    false
}

/// Waits until the browser has run its next animation frame callbacks, as it does before
/// painting.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .request_animation_frame(&resolve)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// The form with the languages of the shipped catalogue, as after a successful fetch.
fn mount_form_with_catalogue() -> (Page<impl Sized>, Languages) {
    let languages = Languages::english_only();
    languages.arrived(Ok(catalogue::parse(CATALOGUE).unwrap()), None);
    let page = mount(move || {
        languages.provide();
        view! { <GreetingForm typed=String::new() /> }
    });
    (page, languages)
}

/// How many languages the shipped catalogue has: its language lines, counted without the
/// parser.
/// The catalogue the build ships.
const CATALOGUE: &str = include_str!("../public/greetings.txt");

/// The greeting for `name` in the catalogue's language `tag`, by a plain `{name}` replacement:
/// what the tests expect comes from the catalogue, never through the rules under test.
fn greeting_in(tag: &str, name: &str) -> String {
    greeting_from(CATALOGUE, tag, name)
}

/// The greeting for `name` in the language `tag` of `catalogue`.
fn greeting_from(catalogue: &str, tag: &str, name: &str) -> String {
    contract::expected_greeting(catalogue, tag, name).expect("the language is in the catalogue")
}

/// The greeting for `name` in English, the catalogue's first language.
fn english(name: &str) -> String {
    greeting_in("en", name)
}

fn shipped_languages() -> usize {
    CATALOGUE
        .split('\n')
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .count()
}

impl<H> Page<H> {
    /// Links `catalogue` as the release page preloads its catalogue: here from memory, as the
    /// test server has none. The link goes with the page; its URL is returned, to revoke.
    fn preload_catalogue(&self, catalogue: &str) -> String {
        let text = js_sys::Array::of1(&JsValue::from_str(catalogue));
        let blob = web_sys::Blob::new_with_str_sequence(&text).unwrap();
        let url = web_sys::Url::create_object_url_with_blob(&blob).unwrap();
        let link = document().create_element("link").unwrap();
        link.set_id("greetings");
        link.set_attribute("href", &url).unwrap();
        self.root.append_child(&link).unwrap();
        url
    }

    async fn choose_language(&self, tag: &str) {
        let select: HtmlSelectElement = self.get("language").unchecked_into();
        select.set_value(tag);
        select
            .dispatch_event(&Event::new("change").unwrap())
            .unwrap();
        tick().await;
    }
}

#[wasm_bindgen_test]
async fn switching_language_greets_again_at_once_with_lang_dir_and_bdi() {
    let (page, _languages) = mount_form_with_catalogue();
    let select: HtmlSelectElement = page.get("language").unchecked_into();
    assert_eq!(select.value(), "en", "the test browser prefers English");
    assert_eq!(select.length() as usize, shipped_languages());
    page.type_name("Ada").await;
    page.click_say_hello().await;
    assert_eq!(page.greeting(), english("Ada"));
    page.choose_language("de").await;
    assert_eq!(page.greeting(), greeting_in("de", "Ada"));
    let greeting = page.get("greeting");
    assert_eq!(greeting.get_attribute("lang").as_deref(), Some("de"));
    assert_eq!(greeting.get_attribute("dir").as_deref(), Some("ltr"));
    page.choose_language("ar").await;
    assert_eq!(page.greeting(), "مرحبًا يا Ada!");
    assert_eq!(greeting.get_attribute("dir").as_deref(), Some("rtl"));
    let name = greeting
        .query_selector("bdi")
        .unwrap()
        .expect("the name is isolated");
    assert_eq!(name.text_content().as_deref(), Some("Ada"));
    page.choose_language("ja").await;
    assert_eq!(page.greeting(), "Adaさん、こんにちは！");
    let stored = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    assert_eq!(
        stored.get_item("hello-wasm.language").unwrap().as_deref(),
        Some("ja")
    );
    stored.remove_item("hello-wasm.language").unwrap();
}

#[wasm_bindgen_test]
async fn a_failed_catalogue_leaves_english_working_and_says_so() {
    // The test server has no greetings catalogue: the request gets a 404.
    let warn = ConsoleSpy::new("warn");
    let page = mount_app();
    assert!(
        until(|| page.find("language-notice").is_some()).await,
        "no language notice within 10 s"
    );
    assert_eq!(
        page.get("language-notice").text_content().as_deref(),
        Some(hello_wasm::components::LANGUAGE_NOTICE)
    );
    assert_eq!(
        page.get("language-notice").get_attribute("role").as_deref(),
        Some("status")
    );
    let warning = "Greeting in English only: the greetings catalogue cannot be used, as the server answered 404.";
    assert!(
        warn.lines().iter().any(|line| line == warning),
        "{:?}",
        warn.lines()
    );
    page.type_name("Ferris").await;
    page.click_say_hello().await;
    assert_eq!(page.greeting(), english("Ferris"));
    let select: HtmlSelectElement = page.get("language").unchecked_into();
    assert_eq!((select.length(), select.value()), (1, "en".to_owned()));
}

#[wasm_bindgen_test]
fn the_javascript_export_greets_and_throws_errors_for_people() {
    assert_eq!(
        hello_wasm::js_api::say_hello_js("Ferris").unwrap(),
        english("Ferris")
    );
    let thrown: JsValue = hello_wasm::js_api::say_hello_js(" ").unwrap_err().into();
    let error: js_sys::Error = thrown.dyn_into().expect("a JavaScript Error");
    assert_eq!(String::from(error.message()), "Please enter your name.");
}

fn focused() -> Option<Element> {
    document().active_element()
}

#[wasm_bindgen_test]
async fn the_handover_keeps_the_nodes_the_text_the_caret_and_the_focus() {
    let page = build_time_page();
    let heading = page.root.query_selector("h1").unwrap().unwrap();
    let intro = page.root.query_selector(".intro").unwrap().unwrap();
    let input = page.input();
    input.set_value("Ada Lovelace");
    input.focus().unwrap();
    input.set_selection_range(2, 5).unwrap();
    let button: HtmlButtonElement = page.get("say-hello").unchecked_into();
    assert!(button.disabled(), "the build-time button waits for the app");
    assert!(page.find("load-stalled").is_some());
    page.go_live();
    tick().await;
    // What the visitor sees: the page as it is painted next.
    next_frame().await;
    let same = |selector: &str| page.root.query_selector(selector).unwrap().unwrap();
    assert_eq!(
        same("h1"),
        heading,
        "the heading painted with the HTML is kept"
    );
    assert_eq!(same(".intro"), intro, "so is the intro");
    assert_eq!(page.input(), input, "and the field");
    assert_eq!(input.value(), "Ada Lovelace");
    assert_eq!(focused().as_ref(), Some(input.unchecked_ref::<Element>()));
    assert_eq!(
        (
            input.selection_start().unwrap(),
            input.selection_end().unwrap()
        ),
        (Some(2), Some(5))
    );
    assert!(
        page.find("load-stalled").is_none(),
        "the build-time notice goes"
    );
    // The text was the visitor's: submitting greets it.
    assert!(!button.disabled());
    button.click();
    tick().await;
    assert_eq!(page.greeting(), english("Ada Lovelace"));
}

#[wasm_bindgen_test]
async fn the_handover_keeps_the_focus_on_the_picker_and_the_summary() {
    for selector in ["[data-testid=language]", "summary"] {
        let page = build_time_page();
        let find = || page.root.query_selector(selector).unwrap().unwrap();
        let control: HtmlElement = find().unchecked_into();
        control.focus().unwrap();
        assert_eq!(
            focused().as_ref(),
            Some(control.unchecked_ref::<Element>()),
            "{selector}"
        );
        page.go_live();
        tick().await;
        next_frame().await;
        assert_eq!(
            find(),
            *control.unchecked_ref::<Element>(),
            "{selector}: kept"
        );
        assert_eq!(
            focused().as_ref(),
            Some(control.unchecked_ref::<Element>()),
            "{selector}: still focused"
        );
    }
}

#[wasm_bindgen_test]
fn the_handover_tells_any_choice_in_the_build_time_picker_from_none() {
    // Each visitor's choices before the app is live, and what the handover hands on.
    let cases: [(&[&str], Option<&str>); 4] = [
        (&[], None),
        (&["fr"], Some("fr")),
        (&["en"], Some("en")),
        (&["de", "en"], Some("en")),
    ];
    for (choices, handed_on) in cases {
        let page = build_time_page();
        let picker: HtmlSelectElement = page.get("language").unchecked_into();
        for tag in choices {
            picker.set_value(tag);
            assert_eq!(picker.value(), *tag, "{choices:?}: offered");
        }
        assert_eq!(
            hello_wasm::hand_over_picker(&picker).as_deref(),
            handed_on,
            "{choices:?}"
        );
        // What the app offers until the catalogue comes: English alone, chosen.
        assert_eq!(
            (picker.length(), picker.value()),
            (1, "en".to_owned()),
            "{choices:?}"
        );
    }
}

#[wasm_bindgen_test]
async fn a_language_added_to_a_copy_of_the_catalogue_greets_with_no_other_edit() {
    let catalogue = format!("{CATALOGUE}eo\tltr\tEsperanto\tSaluton, {{name}}!\n");
    let page = build_time_page();
    let url = page.preload_catalogue(&catalogue);
    page.go_live();
    let picker: HtmlSelectElement = page.get("language").unchecked_into();
    let offered = || {
        picker
            .query_selector("option[value=eo]")
            .ok()
            .flatten()
            .is_some()
    };
    assert!(
        until(offered).await,
        "Esperanto not in the picker within 10 s"
    );
    page.choose_language("eo").await;
    page.type_name("Zoë").await;
    page.click_say_hello().await;
    assert_eq!(page.greeting(), greeting_from(&catalogue, "eo", "Zoë"));
    assert_eq!(page.greeting(), "Saluton, Zoë!");
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.remove_item("hello-wasm.language").unwrap();
    web_sys::Url::revoke_object_url(&url).unwrap();
}

#[wasm_bindgen_test]
async fn a_language_chosen_before_the_app_is_live_is_chosen_again_when_the_catalogue_comes() {
    // The build-time picker offers every language of the shipped catalogue, and starts on
    // its own option for "nothing chosen yet", shown as English, after English.
    let page = build_time_page();
    let picker: HtmlSelectElement = page.get("language").unchecked_into();
    assert_eq!(picker.length() as usize, 1 + shipped_languages());
    assert_eq!(
        (picker.value(), picker.selected_index()),
        (String::new(), 1),
        "nothing is chosen as built"
    );
    picker.set_value("fr");
    // A language stored on an earlier visit, which the choice made now must win over.
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.set_item("hello-wasm.language", "de").unwrap();
    let url = page.preload_catalogue(CATALOGUE);
    // The app offers English alone until the catalogue comes, in the same picker.
    page.go_live();
    assert_eq!(
        page.get("language"),
        *picker.unchecked_ref::<Element>(),
        "kept"
    );
    assert_eq!((picker.length(), picker.value()), (1, "en".to_owned()));
    // When the catalogue comes, the choice made before is chosen again, and remembered.
    assert!(
        until(|| picker.length() > 1).await,
        "the catalogue's languages not in the picker within 10 s"
    );
    assert_eq!(picker.length() as usize, shipped_languages());
    assert_eq!(picker.value(), "fr");
    page.type_name("Zoë").await;
    page.click_say_hello().await;
    assert_eq!(page.greeting(), "Bonjour, Zoë\u{202f}!");
    assert_eq!(
        storage.get_item("hello-wasm.language").unwrap().as_deref(),
        Some("fr")
    );
    // Each language's name is marked as written in it, for a screen reader's voice.
    for index in 0..picker.length() {
        let option = picker.item(index).unwrap();
        assert_eq!(
            option.get_attribute("lang"),
            option.get_attribute("value"),
            "{:?}",
            option.text_content()
        );
    }
    storage.remove_item("hello-wasm.language").unwrap();
    web_sys::Url::revoke_object_url(&url).unwrap();
}

#[wasm_bindgen_test]
async fn the_handover_enables_the_waiting_button_in_place() {
    let page = build_time_page();
    let button: HtmlButtonElement = page.get("say-hello").unchecked_into();
    // Disabled, it cannot take the focus, nor submit the form by Enter in the field (an
    // implicit submission needs an enabled default button).
    button.focus().unwrap();
    assert!(button.disabled());
    assert_ne!(focused().as_ref(), Some(button.unchecked_ref::<Element>()));
    page.go_live();
    tick().await;
    assert_eq!(
        page.get("say-hello"),
        *button.unchecked_ref::<Element>(),
        "kept"
    );
    assert!(!button.disabled());
    button.focus().unwrap();
    assert_eq!(focused().as_ref(), Some(button.unchecked_ref::<Element>()));
}

#[wasm_bindgen_test]
async fn the_handover_leaves_an_unfocused_field_unfocused_and_opens_an_opened_section() {
    let page = build_time_page();
    page.input().set_value("Ada Lovelace");
    let section = page.get("under-the-hood");
    section.set_attribute("open", "").unwrap();
    page.go_live();
    tick().await;
    assert_eq!(page.input().value(), "Ada Lovelace");
    assert_ne!(
        focused().as_ref(),
        Some(page.input().unchecked_ref::<Element>()),
        "the focus stays where it was"
    );
    assert_eq!(page.get("under-the-hood"), section, "the same section");
    assert!(
        section.has_attribute("open"),
        "the opened section stays open"
    );
    // Opening it before the app was live starts what it shows.
    let text = text_once_it_shows(&section, "The module:").await;
    // Another test may have greeted first: the crossing is the page's, not the mount's.
    assert!(
        text.contains("The module:") && text.contains("The cost"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn without_an_app_element_the_page_says_so_and_stays_as_built() {
    let error = ConsoleSpy::new("error");
    let body = document().body().unwrap();
    let before = body.inner_html();
    hello_wasm::mount_app();
    assert_eq!(
        error.lines(),
        ["The page has no #app element, so the greeter cannot start."]
    );
    assert_eq!(body.inner_html(), before, "the page changed");
}

#[wasm_bindgen_test]
fn a_crash_shows_one_polite_notice_and_takes_away_the_one_that_blames_the_load() {
    // A crash before the app is live (in the handover, say) leaves the build-time page.
    let page = build_time_page();
    page.root.set_id(hello_wasm::ROOT_ID);
    assert!(page.find("load-stalled").is_some());
    hello_wasm::crash::show_crash_notice();
    hello_wasm::crash::show_crash_notice();
    assert!(
        page.find("load-stalled").is_none(),
        "the notice that blames a slow load or the browser is still there after a crash"
    );
    let notices = document()
        .query_selector_all("[data-testid=crash-notice]")
        .unwrap();
    assert_eq!(notices.length(), 1);
    let notice: Element = notices.get(0).unwrap().unchecked_into();
    assert_eq!(
        notice.text_content().as_deref(),
        Some(hello_wasm::crash::CRASH_MESSAGE)
    );
    assert_eq!(notice.get_attribute("role").as_deref(), Some("alert"));
    notice.remove();
}

#[wasm_bindgen_test]
async fn under_the_hood_shows_how_the_name_crossed_once_opened() {
    let page = mount_app();
    let section = page.get("under-the-hood");
    let report = section.query_selector("pre").unwrap().unwrap();
    assert_eq!(
        report.text_content().as_deref(),
        Some(""),
        "nothing before opening"
    );
    page.type_name("Zoë").await;
    page.click_say_hello().await;
    // The browser fires `toggle` in a task of its own.
    let text = open_under_the_hood(&page, "UTF-8").await;
    for expected in [
        "1. JavaScript holds the string: 3 UTF-16 code units",
        "2. passStringToWasm0 encodes it to UTF-8: 4 bytes.",
        "3. __wbindgen_malloc reserves a byte for each of those units, and __wbindgen_realloc resizes the space when the text is not all ASCII: the bytes are at 0x",
        "that memory holds 5A 6F C3 AB:",
        "6. Rust counts 3 characters",
        "pages of 64 KiB",
        "The cost (Resource Timing)",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    // The test server has no names file beside the module: the imports, in one closed group
    // between the two reports, counted as the module has them.
    let text = text_once_it_shows(&section, "The names file could not be loaded").await;
    let imports = text
        .split(" imports (WebAssembly.Module")
        .next()
        .and_then(|before| before.rsplit(' ').next())
        .unwrap()
        .to_owned();
    let groups = section.query_selector_all("details.imports").unwrap();
    assert_eq!(groups.length(), 1);
    let group: Element = groups.get(0).unwrap().unchecked_into();
    assert_eq!(
        group
            .query_selector("summary")
            .unwrap()
            .unwrap()
            .text_content(),
        Some(format!("Imports ({imports})"))
    );
    assert!(!group.has_attribute("open"));
    let listed = group
        .query_selector("pre")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(listed.lines().count().to_string(), imports, "{listed}");
    let order: Vec<String> = section
        .query_selector_all(":scope > *")
        .unwrap()
        .values()
        .into_iter()
        .map(|node| node.unwrap().unchecked_into::<Element>().local_name())
        .collect();
    assert_eq!(order, ["summary", "pre", "details", "pre", "p"]);
    // A new greeting updates it.
    page.type_name("Ada").await;
    page.click_say_hello().await;
    let text = section.text_content().unwrap_or_default();
    assert!(text.contains("holds 41 64 61:"), "{text}");
}

/// The raw module as the build writes it (`cargo component-fixtures`).
const RAW_MODULE: &[u8] = include_bytes!("raw.wasm");

/// `bytes` as the browser holds a downloaded body.
fn raw_module_bytes(bytes: &[u8]) -> js_sys::ArrayBuffer {
    js_sys::Uint8Array::from(bytes).buffer()
}

#[wasm_bindgen_test]
fn the_raw_module_doubles_through_a_rust_closure_and_needs_it_to_link() {
    let facts = &hello_wasm::raw_module::instantiate(&raw_module_bytes(RAW_MODULE)).unwrap();
    let entries = |list: &[rules::under_the_hood::Entry]| -> Vec<String> {
        list.iter()
            .map(|entry| format!("{}.{} {}", entry.module, entry.name, entry.kind))
            .collect()
    };
    let mut exports = entries(&facts.exports);
    exports.sort();
    assert_eq!(exports, [".double_it function", ".memory memory"]);
    assert_eq!(entries(&facts.imports), ["env.add_integers function"]);
    assert_eq!((facts.bytes, facts.doubled), (RAW_MODULE.len(), 24));
    assert!(
        facts.link_error.starts_with("LinkError: "),
        "{}",
        facts.link_error
    );
    assert_eq!(hello_wasm::raw_module::double(-21), Some(-42));
    assert_eq!(
        hello_wasm::raw_module::double(i32::MAX),
        Some(-2),
        "i32 addition wraps"
    );
}

#[wasm_bindgen_test]
fn bytes_that_are_no_module_are_refused_with_the_browsers_reason() {
    let error = hello_wasm::raw_module::instantiate(&raw_module_bytes(b"not wasm"))
        .err()
        .unwrap();
    let text = error.to_string();
    assert!(
        text.starts_with(
            "The raw module could not be shown: the browser refused it (CompileError: "
        ),
        "{text}"
    );
}

/// Opens the section and waits until its report holds `part`.
async fn open_under_the_hood(page: &Page<()>, part: &str) -> String {
    let section = page.get("under-the-hood");
    section
        .query_selector("summary")
        .unwrap()
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    text_once_it_shows(&section, part).await
}

#[wasm_bindgen_test]
async fn under_the_hood_fetches_the_raw_module_when_opened_and_doubles_with_it() {
    let page = build_time_page();
    // The module as the page links it: here from memory, where the site has it as a file.
    let bytes = js_sys::Array::of1(&js_sys::Uint8Array::from(RAW_MODULE));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&bytes).unwrap();
    let url = web_sys::Url::create_object_url_with_blob(&blob).unwrap();
    let link = page.root.query_selector("a[download]").unwrap().unwrap();
    link.set_attribute("href", &url).unwrap();
    page.go_live();
    let log = ConsoleSpy::new("log");
    let text = open_under_the_hood(&page, "double_it(12) = 24").await;
    for expected in [
        "Without wasm-bindgen: raw.wasm, ",
        "  double_it function\n",
        "  env.add_integers function\n",
        "double_it(12) = 24, as double_it called add_integers(12, 12)",
        "Without add_integers, the browser refuses to link it: LinkError: ",
    ] {
        assert!(text.contains(expected), "{expected:?} not in {text}");
    }
    assert!(
        log.lines()
            .contains(&"The result of 12*2 is: 24".to_owned()),
        "{:?}",
        log.lines()
    );
    let field: HtmlInputElement = page
        .root
        .query_selector("input[type=number]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    let doubled = page.get("doubled");
    assert_eq!(
        doubled.text_content().as_deref(),
        Some("double_it(12) = 24")
    );
    for (typed, shown) in [
        ("-21", "double_it(-21) = -42"),
        (
            "2.5",
            "double_it takes a whole number from -2147483648 to 2147483647.",
        ),
        (
            "",
            "double_it takes a whole number from -2147483648 to 2147483647.",
        ),
        ("1073741824", "double_it(1073741824) = -2147483648"),
    ] {
        field.set_value(typed);
        field.dispatch_event(&Event::new("input").unwrap()).unwrap();
        tick().await;
        assert_eq!(doubled.text_content().as_deref(), Some(shown), "{typed:?}");
    }
    web_sys::Url::revoke_object_url(&url).unwrap();
}

#[wasm_bindgen_test]
async fn a_raw_module_that_cannot_be_fetched_is_said_so_and_breaks_nothing() {
    // The test server has no raw.wasm: the request gets a 404.
    let page = mount_app();
    let text = open_under_the_hood(&page, "The raw module could not be shown").await;
    assert!(
        text.contains("The raw module could not be shown: the server answered 404."),
        "{text}"
    );
    assert!(
        text.contains("The module:"),
        "the rest of the section is there: {text}"
    );
    page.type_name("Ada").await;
    page.click_say_hello().await;
    assert_eq!(page.greeting(), english("Ada"));
}
