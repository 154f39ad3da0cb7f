/**
 * The lessons the lab ships with (issue 18), one per idea of the lab, each run small enough to finish in
 * under a minute on wasm on a 2-core laptop (`npm run cli -- lesson --preset ID` plays one through and says
 * how long each run took). Every answer comes from the student's own run (lesson-answers.ts); the texts say
 * what to look for, not what the numbers will be.
 *  1. delta hedging and the discretisation error (Kamal and Derman 1999);
 *  2. transaction costs and no-transaction bands (Whalley and Wilmott 1997; paper 001's DHNTB);
 *  3. risk measures and risk aversion (entropic, expected shortfall; paper 001 eq. 7);
 *  4. deep hedging against delta with costs, and what the network holds (Buehler et al. 2019, paper 001);
 *  5. stochastic volatility and hedging with options (Heston; paper 002's floating grid);
 *  6. real data, regimes and out-of-sample testing (paper 003 §3);
 *  7. reinforcement learning: BC-RPPO against its expert (paper 000 §3);
 *  8. sequence hedgers: the RNN and the SigFormer (paper 003 §4).
 */
import { RL_DEFAULTS } from '../experiment/rl-defaults';
import { LESSON_FORMAT, LESSON_VERSION, lessonSchema, type Lesson, type LessonInput } from './lesson-schema';

const lesson = (l: Omit<LessonInput, 'format' | 'version'>): LessonInput => ({ format: LESSON_FORMAT, version: LESSON_VERSION, ...l });

const deep = (epochs: number, units = 32) => ({
  id: 'deep-mlp',
  type: 'deep-mlp',
  network: { layers: 3, units },
  training: { epochs, batchSize: 512, learningRate: 3e-3, freshPaths: true },
});

const deltaHedging = lesson({
  id: 'delta-hedging',
  title: 'Delta hedging and the discretisation error',
  summary: 'Sell a call, hedge it with its Black-Scholes delta, and see how the error left over shrinks as you rebalance more often.',
  minutes: 10,
  steps: [
    {
      title: 'A short call, hedged and unhedged',
      text: [
        'You have sold a one-month at-the-money call on a stock that follows geometric Brownian motion with 20% volatility, and received its Black-Scholes price.',
        '',
        '- **No hedge** keeps the premium and pays the payoff.',
        '- **Black-Scholes delta** holds `N(d1)` shares, rebalanced once a day.',
        '',
        'There are no transaction costs. Press **Run**, then look at the **P&L on the test paths** chart and the **std** column of the metrics table.',
      ].join('\n'),
      setup: {
        preset: 'default',
        patch: {
          name: 'Lesson 1: delta hedging a call',
          costs: { proportional: 0 },
          paths: { train: 1024, test: 8192 },
          strategies: [
            { id: 'no-hedge', type: 'no-hedge' },
            { id: 'bs-delta', type: 'bs-delta' },
          ],
        },
        view: 'lab',
      },
      action: { kind: 'run', say: 'Press Run and wait for the metrics table.' },
      question: { kind: 'best', prompt: 'Which strategy has the smaller standard deviation of P&L?', metric: 'std', order: 'lowest', among: ['no-hedge', 'bs-delta'] },
      hint: 'Compare the widths of the two histograms: the narrower one has the smaller std.',
      explanation:
        'In continuous time the delta hedge replicates the call exactly and its P&L would be zero on every path. Rebalancing once a day leaves a small error: between two dates the hedge holds a fixed number of shares while the option’s delta moves with the stock (its gamma). That error is what is left of the spread.',
    },
    {
      title: 'Rebalance more often',
      text: [
        'How does the error left by discrete rebalancing depend on the number **N** of rebalancing dates?',
        '',
        'The **Compare** tab runs the same experiment with the call hedged at 5, 20 and 80 dates over its life. Press **Run comparison** and look at the delta hedge’s std at each N.',
      ].join('\n'),
      setup: {
        preset: 'default',
        patch: {
          name: 'Lesson 1: rebalancing dates',
          costs: { proportional: 0 },
          paths: { train: 1024, test: 8192 },
          strategies: [{ id: 'bs-delta', type: 'bs-delta' }],
        },
        grid: { 'market.steps': [5, 20, 80] },
        view: 'compare',
      },
      action: { kind: 'compare', say: 'Press Run comparison in the Compare tab and wait for its three cells.' },
      question: {
        kind: 'scaling',
        prompt: 'When N is multiplied by 4, the std of the delta hedge’s P&L…',
        metric: 'std',
        strategy: 'bs-delta',
        axis: 'market.steps',
        choices: [
          { label: 'stays about the same', min: -0.2, max: 0.2 },
          { label: 'halves: it falls like 1/√N', min: -0.75, max: -0.2 },
          { label: 'falls to a quarter: like 1/N', min: -1.5, max: -0.75 },
        ],
      },
      hint: 'Divide the std at N = 20 by the std at N = 5. Is the ratio nearer 1/2 or 1/4?',
      explanation:
        'Kamal and Derman (1999) showed that the hedging error of a vanilla option rebalanced N times has a standard deviation of about √(π/4) · σ · vega / √N: each interval adds an independent error of size ~ gamma × (move)², and N of them add up like a random walk. Four times as many dates halve the error, and perfect replication needs infinitely many, which costs infinitely much once trading has a cost: the next lesson.',
    },
  ],
});

const costsAndBands = lesson({
  id: 'costs-and-bands',
  title: 'Transaction costs and no-transaction bands',
  summary: 'With a cost on every trade, rebalancing to the exact delta is too expensive. Trade only when the position leaves a band around it.',
  minutes: 12,
  steps: [
    {
      title: 'Delta hedging pays for every trade',
      text: [
        'The same call, now with a proportional cost of **0.5%** of the value traded. Two strategies:',
        '',
        '- **Black-Scholes delta** trades back to the delta every day, however small the change.',
        '- **Whalley-Wilmott band** trades only when its position leaves a band around the delta, and then only to the band’s edge. The band is wider where gamma is high and when costs are high.',
        '',
        'Press **Run** and compare the **cost** column.',
      ].join('\n'),
      setup: {
        preset: 'default',
        patch: {
          name: 'Lesson 2: costs and bands',
          costs: { proportional: 5e-3 },
          paths: { train: 1024, test: 8192 },
          strategies: [
            { id: 'bs-delta', type: 'bs-delta' },
            { id: 'whalley-wilmott', type: 'whalley-wilmott', riskAversion: 10 },
          ],
        },
        view: 'lab',
      },
      action: { kind: 'run', say: 'Press Run and wait for the metrics table.' },
      question: { kind: 'best', prompt: 'Which strategy pays less in transaction costs on average?', metric: 'cost', order: 'lowest', among: ['bs-delta', 'whalley-wilmott'] },
      hint: 'The cost column is the mean cost paid per path; the turnover column says how much each strategy trades.',
      explanation:
        'Inside its band the Whalley-Wilmott strategy does not trade at all, so it trades far less than the delta hedge and pays less. The price is a larger hedging error: the band trades cost against risk, and its width (proportional to the cube root of cost × gamma² / risk aversion) is where the two balance for a small cost.',
    },
    {
      title: 'Learning the band',
      text: [
        'Paper 001’s **DHNTB** is a network that outputs a band (a lower and an upper bound) instead of a position, and is trained to minimise the risk of the P&L, costs included. Here it trains for a few seconds beside the two classics.',
        '',
        'Press **Run**. The experiment scores every strategy with its risk measure, the entropic risk with λ = 10: the **risk** column. Lower is better.',
      ].join('\n'),
      setup: {
        patch: {
          name: 'Lesson 2: a learned band',
          strategies: [
            { id: 'bs-delta', type: 'bs-delta' },
            { id: 'whalley-wilmott', type: 'whalley-wilmott', riskAversion: 10 },
            { id: 'dhntb', type: 'dhntb', network: { layers: 3, units: 32 }, training: { epochs: 30, batchSize: 512, learningRate: 3e-3, freshPaths: true } },
          ],
        },
      },
      action: { kind: 'run', say: 'Press Run and wait for the DHNTB to train.' },
      question: { kind: 'best', prompt: 'Which of the three has the lowest risk (entropic, λ = 10)?', metric: 'risk', order: 'lowest' },
      hint: 'Lower risk means a better hedge under the experiment’s own risk measure; look at the risk column.',
      explanation:
        'The delta hedge ignores costs, so it should lose here. The Whalley-Wilmott band is an asymptotic formula for small costs and exponential utility; the DHNTB learns its band from the paths with the costs and the risk measure of the experiment, so with enough training it matches or beats the formula (paper 001 fig. 2-3). With only 30 short epochs it may not have caught up yet: try more epochs on the form and run again.',
    },
  ],
});

const riskMeasures = lesson({
  id: 'risk-measures',
  title: 'Risk measures and risk aversion',
  summary: 'What a deep hedger learns depends on the risk it is told to minimise. Change the entropic risk aversion, then switch to expected shortfall.',
  minutes: 12,
  steps: [
    {
      title: 'A deep hedger with little risk aversion',
      text: [
        'A deep hedger is trained to minimise a **risk measure** of its P&L. Here it is the entropic risk (1/λ) log E[exp(−λ P&L)] with **λ = 1**: almost the mean loss, so the hedger cares little about the spread. Costs are 0.2%.',
        '',
        'Press **Run** and note the deep hedger’s **std**.',
      ].join('\n'),
      setup: {
        preset: 'default',
        patch: {
          name: 'Lesson 3: risk aversion',
          costs: { proportional: 2e-3 },
          risk: { measure: 'entropic', lambda: 1 },
          paths: { train: 2048, test: 4096 },
          strategies: [{ id: 'bs-delta', type: 'bs-delta' }, deep(30)],
        },
        view: 'lab',
      },
      action: { kind: 'run', say: 'Press Run.' },
    },
    {
      title: 'More risk aversion',
      text: 'Now make the hedger more risk averse: set the risk measure’s **λ to 10** on the form (Risk measure, λ), and press **Run** again.',
      action: { kind: 'run', say: 'Set λ to 10, then press Run.', require: [{ field: 'risk.lambda', value: 10, say: 'Set the risk measure’s λ to 10.' }] },
      question: { kind: 'change', prompt: 'Compared with λ = 1, the deep hedger’s std of P&L is…', metric: 'std', strategy: 'deep-mlp', since: 1 },
      hint: 'A larger λ weighs bad outcomes much more heavily than good ones.',
      explanation:
        'With λ = 10 the exponential punishes losses hard, so the hedger hedges more fully: a narrower P&L, usually paid for with more trading and a lower mean. The entropic risk of the P&L is also the indifference price’s building block (paper 001 eq. 7): a more risk-averse seller asks a higher price.',
    },
    {
      title: 'Expected shortfall',
      text: 'Expected shortfall at 95% is the mean loss in the worst 5% of paths: it looks at the tail only. The step has switched the risk measure to **ES 95**; press **Run** and look at the **ES 95** column.',
      setup: { patch: { name: 'Lesson 3: expected shortfall', risk: { measure: 'expected-shortfall', lambda: null, alpha: 0.95 } } },
      action: { kind: 'run', say: 'Press Run.' },
      question: { kind: 'change', prompt: 'Compared with the hedger trained for entropic λ = 10, the ES 95 of the hedger trained for ES 95 is…', metric: 'es95', strategy: 'deep-mlp', since: 2, tolerance: 0.03 },
      hint: 'A hedger trained for ES 95 minimises exactly that column; the one before minimised another measure.',
      explanation:
        'Each hedger is best at the measure it was trained for, up to training noise: trained for ES 95 it gives up some of the body of the distribution to cut the worst 5%. Which measure to use is a choice of the person hedging, not of the method; deep hedging takes any convex risk measure (Buehler et al. 2019).',
    },
  ],
});

const deepVsDelta = lesson({
  id: 'deep-vs-delta',
  title: 'Deep hedging against delta with costs, and what the network holds',
  summary: 'Train a network to hedge with costs, compare it with the delta hedge and the band, and read its holding surface.',
  minutes: 10,
  steps: [
    {
      title: 'The lab’s default experiment, shortened',
      text: [
        'A call with 0.1% costs and the entropic risk with λ = 10. The **deep hedger** is a 3 × 32 network that sees the log-moneyness, the time left and its previous holding, and outputs its new holding. It is trained for 40 epochs.',
        '',
        'Press **Run** and watch the **Training loss** fall.',
      ].join('\n'),
      setup: {
        preset: 'default',
        patch: {
          name: 'Lesson 4: deep hedging with costs',
          paths: { train: 2048, test: 4096 },
          strategies: [{ id: 'bs-delta', type: 'bs-delta' }, { id: 'whalley-wilmott', type: 'whalley-wilmott', riskAversion: 10 }, deep(40)],
        },
        view: 'lab',
      },
      action: { kind: 'run', say: 'Press Run and wait for the training to end.' },
      question: { kind: 'best', prompt: 'Which strategy has the lowest turnover (trades the least)?', metric: 'turnover', order: 'lowest' },
      hint: 'Turnover is the total |change in position| per path.',
      explanation:
        'The delta hedge trades at every date. Both the band and the network learn to leave their position alone when the change would cost more than the risk it removes. Now look at **What the network holds**: the network’s holding against moneyness and time, beside the delta. Where they differ, the network is holding on to its previous position instead of paying to follow the delta.',
    },
    {
      title: 'Reading the surface',
      text: [
        'In **What the network holds**, the delta surface runs from 0 (far out of the money) to 1 (far in), steepest at the money near maturity, where gamma is largest.',
        '',
        '- Where is the network’s surface flatter than the delta’s, and why would costs make it so?',
        '- Close to maturity the delta jumps between 0 and 1 for a small move: would you follow it if every trade cost 0.1%?',
        '',
        'Try raising the cost on the form to 0.5% and running again: the network’s surface should flatten further.',
      ].join('\n'),
    },
  ],
});

const hestonOptions = lesson({
  id: 'heston-options',
  title: 'Stochastic volatility and hedging with options',
  summary: 'Under Heston’s stochastic volatility the stock alone cannot hedge a call. Add options to the hedge and see the error fall.',
  minutes: 12,
  steps: [
    {
      title: 'Heston: volatility moves too',
      text: [
        'In the Heston model the variance follows its own random process, correlated with the stock (here ρ = −0.7, vol of vol 1, paper 002’s parameters). A call now depends on two sources of risk, and the stock hedges only one.',
        '',
        'Press **Run**: a deep hedger trades the stock alone.',
      ].join('\n'),
      setup: {
        preset: 'heston-options',
        patch: {
          name: 'Lesson 5: Heston, stock only',
          market: { maturityDays: 20, steps: 20 },
          instruments: { options: { grid: 'none', options: null, cost: null } },
          paths: { train: 2048, test: 4096 },
          strategies: [{ id: 'bs-delta', type: 'bs-delta' }, deep(30)],
        },
        view: 'lab',
      },
      action: { kind: 'run', say: 'Press Run.' },
    },
    {
      title: 'Hedge with options as well',
      text: [
        'Paper 002 lets the hedger trade, each day, vanilla options of fixed maturities and moneyness relative to today’s price: a **floating grid**. An option’s price moves with the variance, so it can hedge what the stock cannot.',
        '',
        'The step adds a floating grid of options (cost 0.1% of their value). Press **Run**.',
      ].join('\n'),
      setup: {
        patch: {
          name: 'Lesson 5: Heston, stock and options',
          instruments: {
            options: {
              grid: 'floating',
              cost: 1e-3,
              options: [
                { maturitySteps: 10, moneyness: 0.95 },
                { maturitySteps: 10, moneyness: 1 },
                { maturitySteps: 10, moneyness: 1.05 },
                { maturitySteps: 20, moneyness: 1 },
              ],
            },
          },
        },
      },
      action: { kind: 'run', say: 'Press Run.' },
      question: { kind: 'change', prompt: 'With options in the hedge, the deep hedger’s std of P&L is…', metric: 'std', strategy: 'deep-mlp', since: 1 },
      hint: 'Compare the deep hedger’s std in this run with the one of the first step.',
      explanation:
        'Options carry vega: their prices move when the variance does, which the stock cannot offset. Paper 002 (§4) finds that adding the floating grid roughly halves the std of the hedging error of a cliquet under Heston. The Black-Scholes delta, which trades the stock only, is the same in both runs.',
    },
  ],
});

const realData = lesson({
  id: 'real-data',
  title: 'Real data, regimes and out-of-sample testing',
  summary: 'Train on the S&P 500’s past, test on its future: market windows against a regime-switching model fitted to them.',
  minutes: 12,
  steps: [
    {
      title: 'Train on the past, test on the future',
      text: [
        'Paper 003 cuts real price histories **in time**: the hedger trains on 30-day windows of the S&P 500 from the training years and is scored on windows from later years it never saw. Random splits would let the future leak into training.',
        '',
        'Look at the **Data** card: the dates in each part. Press **Run**.',
      ].join('\n'),
      setup: {
        preset: 'sp500-historical',
        patch: { name: 'Lesson 6: S&P 500 windows', paths: { train: 2048, test: 1024 }, strategies: [{ id: 'bs-delta', type: 'bs-delta' }, deep(100)] },
        view: 'lab',
      },
      action: { kind: 'run', say: 'Press Run.' },
      question: { kind: 'best', prompt: 'On the test windows, which hedge has the lower std of P&L?', metric: 'std', order: 'lowest', among: ['bs-delta', 'deep-mlp'] },
      hint: 'Look at the std column of the metrics table; these are real windows from the test years.',
      explanation:
        'Overlapping windows of one index are few and strongly dependent, so a network can fit the training years’ quirks. Whichever won here, the test windows are the only honest score: the training loss says nothing about them.',
    },
    {
      title: 'Train on a model of the past instead',
      text: 'Paper 003 §3.2 fits a regime-switching GBM to the training returns (calm and turbulent regimes with their own drift and volatility) and trains on as many simulated paths as it likes. The test windows stay the real ones. Press **Run**.',
      setup: { preset: 'sp500-regimes', patch: { name: 'Lesson 6: regime model', paths: { train: 2048, test: 1024 }, strategies: [{ id: 'bs-delta', type: 'bs-delta' }, deep(100)] } },
      action: { kind: 'run', say: 'Press Run.' },
      question: { kind: 'change', prompt: 'Trained on the regime model, the deep hedger’s std on the real test windows, compared with training on the windows themselves, is…', metric: 'std', strategy: 'deep-mlp', since: 1 },
      hint: 'Both runs score on the same real test windows; only the training data differ.',
      explanation:
        'A model of the data gives unlimited training paths but only what the model knows: regimes capture volatility clustering, not every feature of real returns. Paper 003 finds regime-trained hedgers competitive with market-trained ones, and better when real windows are scarce. Either way, compare on the same out-of-sample windows.',
    },
  ],
});

const bcRppo = RL_DEFAULTS['bc-rppo']();
const reinforcementLearning = lesson({
  id: 'rl-hedging',
  title: 'Reinforcement learning: an agent against its expert',
  summary: 'Paper 000’s BC-RPPO first imitates the implied-delta hedge, then improves on it by trial and error. Can it beat its teacher in a short run?',
  minutes: 10,
  steps: [
    {
      title: 'Behaviour cloning, then PPO',
      text: [
        'An RL agent learns from rewards, here −PV_T² at the end of each path (paper 000 eq. 40: **avg_r**, closer to 0 is better). Starting from scratch it needs many episodes, so **BC-RPPO** first clones an expert, the **implied delta** hedge, and then improves with recurrent PPO.',
        '',
        'This run is small: 20 updates of 128 episodes. Press **Run** and watch **RL agents learning**.',
      ].join('\n'),
      setup: {
        preset: 'paper000-gbm',
        patch: {
          name: 'Lesson 7: BC-RPPO against implied delta',
          paths: { train: 1024, test: 2048, validation: 512 },
          strategies: [
            { id: 'implied-delta', type: 'implied-delta' },
            {
              ...bcRppo,
              network: { layers: 2, units: 32 },
              rl: { ...bcRppo.rl, updates: 20, episodes: 128, evaluateEvery: 5 },
              bc: { ...bcRppo.bc, epochs: 10, batchSize: 256 },
              rppo: { ...bcRppo.rppo, actorUpdates: 4, criticUpdates: 4, minibatch: 512, gruUnits: 16 },
            },
          ],
        },
        view: 'lab',
      },
      action: { kind: 'run', say: 'Press Run.' },
      question: { kind: 'best', prompt: 'Which has the better (higher, closer to 0) avg_r on the test paths?', metric: 'avg_r', order: 'highest', among: ['implied-delta', 'bc-rppo'] },
      hint: 'avg_r is minus the mean squared terminal portfolio value: −0.5 is better than −2.',
      explanation:
        'On GBM without costs the implied delta at the model’s volatility is nearly optimal, so a short RL run can at best match it: that is paper 000’s sanity case. The cloned start is what makes the agent competitive at all with so few episodes; try the ablation without behaviour cloning (paper000-gbm preset) to see it start far worse.',
    },
  ],
});

const sequenceHedgers = lesson({
  id: 'sequence-hedgers',
  title: 'Sequence hedgers: the RNN and the SigFormer',
  summary: 'Paper 003’s hedgers read the whole history of the path, not just today’s price: an LSTM, and a Transformer over path signatures.',
  minutes: 12,
  steps: [
    {
      title: 'Hedging from the path’s history',
      text: [
        'The deep hedger of the other lessons sees only today’s moneyness and time. On real data the recent past says something about volatility, so paper 003’s hedgers read the history:',
        '',
        '- the **RNN**, an LSTM over the last days’ returns;',
        '- the **SigFormer**, a Transformer whose attention reads the path’s **signature** (its iterated integrals, level by level).',
        '',
        'Both are tiny here so that the run takes under a minute. The market is AAPL’s real 30-day windows. Press **Run**.',
      ].join('\n'),
      setup: {
        preset: 'paper003-aapl-market',
        patch: {
          name: 'Lesson 8: RNN and SigFormer on AAPL',
          strategies: [
            { id: 'bs-delta', type: 'bs-delta' },
            { id: 'rnn', type: 'rnn', network: { layers: 1, units: 16, lags: 10 }, training: { epochs: 20, batchSize: 64, learningRate: 1e-3, freshPaths: true, clip: 50, patience: 5 } },
            {
              id: 'sigformer',
              type: 'sigformer',
              network: { modelDim: 4, order: 2, heads: 1, blocks: 1, mlpUnits: 32, dropout: 0.1 },
              training: { epochs: 20, batchSize: 64, learningRate: 1e-3, freshPaths: true, clip: 50, patience: 5 },
            },
          ],
        },
        view: 'lab',
      },
      action: { kind: 'run', say: 'Press Run.' },
      question: { kind: 'best', prompt: 'Which hedge has the lowest entropic risk on the AAPL test windows?', metric: 'risk', order: 'lowest' },
      hint: 'The risk column is the entropic risk with λ = 1.3, the measure the hedgers were trained for.',
      explanation:
        'With six short epochs on 256 paths an epoch, neither network has learned much, and the Black-Scholes delta is a strong start. Paper 003 trains them longer (the paper003-aapl-market preset, about 5 minutes on wasm), and finds the SigFormer at least as good as the RNN, with a smoother training curve: the **Training dynamics** chart shows what each holds epoch by epoch.',
    },
  ],
});

const parsed = (input: LessonInput): Lesson => {
  const r = lessonSchema.safeParse(input);
  if (!r.success) throw new Error(`bundled lesson ${input.id} is invalid: ${r.error.message}`);
  return r.data;
};

/** The bundled lessons, in teaching order. */
export const BUNDLED_LESSONS: readonly Lesson[] = [deltaHedging, costsAndBands, riskMeasures, deepVsDelta, hestonOptions, realData, reinforcementLearning, sequenceHedgers].map(parsed);
