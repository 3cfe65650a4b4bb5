package io.estuary.node;

public final class Estuary {
  public static void main(String[] args) {
  }
}
