//! placeholder: the Alibaba chain (being written)
