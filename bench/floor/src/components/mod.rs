pub mod counter_btn;
