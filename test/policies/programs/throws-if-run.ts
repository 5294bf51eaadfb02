// Running this program fails the test: check must reject a bad policy config before running it.
throw new Error("the program ran although the policy config was invalid");
